/* A full disk for one process, without privileges (LD_PRELOAD): a file whose name ends in
 * ".h5" cannot grow past MOESCOPE_FULL_DISK_AT bytes. A write that would make it longer than
 * that fails with ENOSPC, as on a disk with no free blocks left; writes inside the file's
 * current length still go through, as they do on a full disk. Other files
 * (checkpoints, the writer mark) are not touched. The statvfs() free space is not faked, so
 * the run log's own room check passes and its writes really fail. Used by
 * tests/python/test_full_disk.py. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static int is_log(int fd) {
  char link[64], target[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t n = readlink(link, target, sizeof target - 1);
  if (n < 3) return 0;
  target[n] = '\0';
  return strcmp(target + n - 3, ".h5") == 0;
}

/* 1 when the write must fail: it would grow a log past the disk's room. */
static int refuse(int fd, size_t count, off_t offset) {
  const char* at = getenv("MOESCOPE_FULL_DISK_AT");
  if (!at || !is_log(fd)) return 0;
  struct stat st;
  if (fstat(fd, &st) != 0) return 0;
  const off_t end = offset + (off_t)count;
  if (end <= st.st_size || end <= (off_t)atoll(at)) return 0;
  errno = ENOSPC;
  return 1;
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset) {
  static ssize_t (*real)(int, const void*, size_t, off_t);
  if (!real) real = (ssize_t(*)(int, const void*, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
  if (refuse(fd, count, offset)) return -1;
  return real(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off_t offset) {
  return pwrite(fd, buf, count, offset);
}

ssize_t write(int fd, const void* buf, size_t count) {
  static ssize_t (*real)(int, const void*, size_t);
  if (!real) real = (ssize_t(*)(int, const void*, size_t))dlsym(RTLD_NEXT, "write");
  if (fd > 2 && refuse(fd, count, lseek(fd, 0, SEEK_CUR))) return -1;
  return real(fd, buf, count);
}
