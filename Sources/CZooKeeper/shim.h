#ifndef REACTOR_CZOOKEEPER_SHIM_H
#define REACTOR_CZOOKEEPER_SHIM_H

// The synchronous API and the threaded (mt) library's declarations are only
// visible when THREADED is defined before the header is included.
#ifndef THREADED
#define THREADED 1
#endif

#include <stdio.h>
#include <sys/socket.h>
#include <zookeeper/zookeeper.h>

// ZOO_OPEN_ACL_UNSAFE and friends are mutable C globals, which Swift 6 refuses
// to touch from concurrent code; their addresses are handed out instead.
static inline struct ACL_vector *reactor_zoo_open_acl_unsafe(void) {
    return &ZOO_OPEN_ACL_UNSAFE;
}

// The ACL that grants every permission to the identities the creating session authenticated
// as (ZOO_CREATOR_ALL_ACL: the `auth` scheme).
static inline struct ACL_vector *reactor_zoo_creator_all_acl(void) {
    return &ZOO_CREATOR_ALL_ACL;
}

#endif
