// libjpeg-turbo from Debian's libjpeg62-turbo-dev (scripts/setup-image-codecs installs it).
#include <stddef.h>
#include <stdio.h>
#include <jpeglib.h>
