/*
** norm.h - the flow normaliser (norm.c): the table functions
** vpcflow_normalize(TABLE [, NAT_MIN_MATCHES]) and
** vpcflow_translators(TABLE [, NAT_MIN_MATCHES]).
*/
#ifndef VPCFLOW_NORM_H
#define VPCFLOW_NORM_H

#include "sqlite3ext.h"

/* Register both table functions on db (direct-only). */
int vf_norm_register(sqlite3 *db, char **pzErr);

#endif /* VPCFLOW_NORM_H */
