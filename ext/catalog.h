/*
** catalog.h - every field AWS defines for VPC and Transit Gateway flow log
** records, with its SQL column name, type, valid range and version.
**
** The catalog is the single source of truth for typing: the parser asks it
** whether a field is an integer and what range is legal, the virtual table
** asks it for column names. It makes no sqlite3 calls.
*/
#ifndef VPCFLOW_CATALOG_H
#define VPCFLOW_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#define VF_TEXT 0            /* value is kept as text */
#define VF_INT  1            /* value is a decimal integer */

#define VF_FLAG_EPOCH   0x01 /* Unix time; 13-digit milliseconds are scaled */
#define VF_FLAG_DEFAULT 0x02 /* one of the 14 fields of the default v2 format */

typedef struct VfField VfField;
struct VfField {
  const char *zName;         /* AWS name, hyphenated: "log-status" */
  const char *zColumn;       /* SQL column name: "log_status" */
  unsigned char eType;       /* VF_INT or VF_TEXT */
  unsigned char iVersion;    /* version that introduced it (6 = Transit GW) */
  unsigned char mFlags;      /* VF_FLAG_* */
  int64_t iMax;              /* largest legal value of a VF_INT field */
};

/* Number of fields in the catalog. */
int vf_catalog_count(void);

/* Field i, 0 <= i < vf_catalog_count(); fields are in AWS table order,
** the 14 default fields first. */
const VfField *vf_catalog_field(int i);

/* Index of the field named z[0..n-1], written with '-' or '_' between
** words (case-sensitive, as AWS writes them), or -1 if unknown. */
int vf_catalog_find(const char *z, size_t n);

/* Number of fields in the default (version 2) format: they are catalog
** fields 0..VF_DEFAULT_NFIELD-1, in format order. */
#define VF_DEFAULT_NFIELD 14

#endif /* VPCFLOW_CATALOG_H */
