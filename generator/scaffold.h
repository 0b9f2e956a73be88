/*
 * scaffold: `hone new post|page "Title"`, a new content file to start from.
 */
#ifndef HONE_SCAFFOLD_H
#define HONE_SCAFFOLD_H

/* The command; returns an exit status and prints its own messages. */
int scaffold_main(int argc, char **argv);

#endif
