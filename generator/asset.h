/*
 * asset: static files and their content-hashed names (see asset.c).
 */
#ifndef HONE_ASSET_H
#define HONE_ASSET_H

#include "site.h"

/* Finds every file of the theme's and the site's static/ and hashes it. */
int asset_scan(site *s, diags *d);
/* Adds the "asset" filter to the site's templates. */
void asset_register(site *s);

#endif
