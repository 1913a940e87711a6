/*
 * The peer of zk-bench: the same workload written directly against libzookeeper-mt's
 * asynchronous API, as a C program would use it.
 *
 *   zk-client-c HOSTS get|set OPS CONCURRENCY
 *
 * Keeps CONCURRENCY requests in flight (each completion issues the next) until OPS requests
 * have completed on /zk-bench (100 bytes), and prints `ops_per_sec <number>`.
 */
#define THREADED 1
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zookeeper/zookeeper.h>

static zhandle_t *zh;
static const char *path = "/zk-bench";
static char payload[100];
static int is_get;
static long total, issued, completed, failures;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done = PTHREAD_COND_INITIALIZER;

static void issue(void);

static void finished(int rc) {
    int more;
    pthread_mutex_lock(&lock);
    completed++;
    if (rc != ZOK) failures++;
    more = issued < total;
    if (more) issued++;
    if (completed == total) pthread_cond_signal(&done);
    pthread_mutex_unlock(&lock);
    if (more) issue();
}

static void data_done(int rc, const char *value, int len, const struct Stat *stat, const void *data) {
    (void)value; (void)len; (void)stat; (void)data;
    finished(rc);
}

static void stat_done(int rc, const struct Stat *stat, const void *data) {
    (void)stat; (void)data;
    finished(rc);
}

static void issue(void) {
    int rc = is_get ? zoo_aget(zh, path, 0, data_done, NULL)
                    : zoo_aset(zh, path, payload, sizeof payload, -1, stat_done, NULL);
    if (rc != ZOK) finished(rc);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 5 || (strcmp(argv[2], "get") && strcmp(argv[2], "set"))) {
        fprintf(stderr, "usage: zk-client-c HOSTS get|set OPS CONCURRENCY\n");
        return 2;
    }
    is_get = !strcmp(argv[2], "get");
    total = atol(argv[3]);
    long concurrency = atol(argv[4]);
    total -= total % concurrency; /* the same count zk-bench completes */
    memset(payload, 'x', sizeof payload);
    zoo_set_debug_level(ZOO_LOG_LEVEL_ERROR);
    zh = zookeeper_init(argv[1], NULL, 10000, NULL, NULL, 0);
    if (!zh) { perror("zookeeper_init"); return 1; }
    for (int i = 0; i < 1000 && zoo_state(zh) != ZOO_CONNECTED_STATE; i++) usleep(10000);
    if (zoo_state(zh) != ZOO_CONNECTED_STATE) { fprintf(stderr, "not connected\n"); return 1; }
    zoo_create(zh, path, payload, sizeof payload, &ZOO_OPEN_ACL_UNSAFE, 0, NULL, 0);

    double start = now();
    pthread_mutex_lock(&lock);
    issued = concurrency < total ? concurrency : total;
    long first = issued;
    pthread_mutex_unlock(&lock);
    for (long i = 0; i < first; i++) issue();
    pthread_mutex_lock(&lock);
    while (completed < total) pthread_cond_wait(&done, &lock);
    pthread_mutex_unlock(&lock);
    double elapsed = now() - start;
    if (failures) fprintf(stderr, "%ld failed requests\n", failures);
    printf("ops_per_sec %f\n", total / elapsed);
    zookeeper_close(zh);
    return failures ? 1 : 0;
}
