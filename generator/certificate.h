/*
 * certificate: the owner's commands for stamped certificate PDFs.
 *
 *   hone verify-pdf FILE [-s DIR | -c SITE.yaml | --key FILE]
 *   hone stamp-pdf TEMPLATE -o OUT --to EMAIL [--at TIME] [--visible]
 *                  [-s DIR | -c SITE.yaml | --key FILE]
 *
 * verify-pdf reads a served certificate's stamp (lib/pdf.h) and checks it
 * with the site secret (site.yaml signup.secret_file, or --key): it prints
 * the recipient, the time and the id, then GENUINE, FORGED or NOT
 * STAMPED, and exits 0, 1 or 2 (3: the file or the secret cannot be
 * read; 4: bad usage).  stamp-pdf makes the file hone-fcgi would serve,
 * to preview a template or to issue a certificate by hand.
 */
#ifndef HONE_CERTIFICATE_H
#define HONE_CERTIFICATE_H

/* The commands; each returns its exit status. */
int certificate_verify_main(int argc, char **argv);
int certificate_stamp_main(int argc, char **argv);

#endif
