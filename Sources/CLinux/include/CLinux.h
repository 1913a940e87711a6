// Linux interfaces Swift's Glibc module does not bring in, for the tcp balancer's forwarding loops:
// epoll, eventfd, and GNU extensions wrapped in shim.c (built with _GNU_SOURCE).
#ifndef REACTOR_CLINUX_H
#define REACTOR_CLINUX_H

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

/// accept4(2).
int reactor_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

/// Names the calling thread (at most 15 bytes are kept); 0 or an error number.
int reactor_name_thread(const char *name);

#endif
