// SwiftPM builds a C target only when it has a source file. All declarations are in include/; there is no logic.
#include "CONNXRuntime.h"
