/*
** test.h - includes every cmocka test needs, in the order cmocka wants.
*/
#ifndef VPCFLOW_TEST_H
#define VPCFLOW_TEST_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <sqlite3.h>

/* The extension's entry point, linked statically (SQLITE_CORE). */
int sqlite3_vpcflow_init(sqlite3*, char**, const sqlite3_api_routines*);

#endif
