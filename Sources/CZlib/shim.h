#ifndef KAMWATCH_CZLIB_SHIM_H
#define KAMWATCH_CZLIB_SHIM_H
#include <zlib.h>
#endif
