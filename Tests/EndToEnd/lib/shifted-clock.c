/* A test-side LD_PRELOAD shim that moves the wall clock (CLOCK_REALTIME, gettimeofday, time)
 * of the process it is loaded into, for the soak's date rolls; monotonic clocks keep real
 * time. libfaketime would do, but under it Swift programs lose their command line
 * (CommandLine.arguments is empty), so kamwatch cannot be started with it.
 *
 *   SHIFTED_CLOCK_START  the wall clock at process start, in seconds since the epoch (fractions allowed)
 *   SHIFTED_CLOCK_SPEED  how many times faster than real time it then runs (default 1)
 *
 * Build: cc -shared -fPIC -O2 -o shifted-clock.so shifted-clock.c -ldl */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

static int (*real_clock_gettime)(clockid_t, struct timespec *);
static double start_real, start_fake = -1, speed = 1;

static double now_real(void) {
    struct timespec ts;
    real_clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

__attribute__((constructor)) static void init(void) {
    real_clock_gettime = dlsym(RTLD_NEXT, "clock_gettime");
    const char *start = getenv("SHIFTED_CLOCK_START"), *s = getenv("SHIFTED_CLOCK_SPEED");
    if (start) start_fake = strtod(start, NULL);
    if (s) speed = strtod(s, NULL);
    start_real = now_real();
}

static double now_fake(void) {
    double real = now_real();
    return start_fake < 0 ? real : start_fake + (real - start_real) * speed;
}

int clock_gettime(clockid_t clock, struct timespec *ts) {
    if (!real_clock_gettime) real_clock_gettime = dlsym(RTLD_NEXT, "clock_gettime");
    if (start_fake < 0 || (clock != CLOCK_REALTIME && clock != CLOCK_REALTIME_COARSE)) return real_clock_gettime(clock, ts);
    double t = now_fake();
    ts->tv_sec = (time_t)t;
    ts->tv_nsec = (long)((t - (double)ts->tv_sec) * 1e9);
    return 0;
}

int gettimeofday(struct timeval *tv, void *tz) {
    (void)tz;
    double t = now_fake();
    tv->tv_sec = (time_t)t;
    tv->tv_usec = (long)((t - (double)tv->tv_sec) * 1e6);
    return 0;
}

time_t time(time_t *out) {
    time_t t = (time_t)now_fake();
    if (out) *out = t;
    return t;
}
