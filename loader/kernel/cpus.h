/* SPDX-License-Identifier: GPL-2.0-only */
/* CPU lists as sysfs prints them ("0-3,5,7-8"). */
#ifndef CPUS_H
#define CPUS_H

#define MAX_CPUS 1024

/* Parse text into mask[0..MAX_CPUS); returns how many CPUs, or -1 on
 * malformed text. */
int cpus_parse(const char *text, unsigned char *mask);
/* Read /sys/devices/system/cpu/<which> ("online", "possible"). */
int cpus_read(const char *which, unsigned char *mask);
/* Highest set CPU + 1, or 0. */
int cpus_span(const unsigned char *mask);

#endif
