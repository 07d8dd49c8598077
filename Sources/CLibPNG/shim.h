// libpng 1.6 from Debian's libpng-dev (scripts/setup-image-codecs installs it).
#include <png.h>
