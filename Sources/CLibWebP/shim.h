// libwebp from Debian's libwebp-dev (scripts/setup-image-codecs installs it).
#include <webp/decode.h>
