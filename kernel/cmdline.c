#include "cmdline.h"
#include "string.h"
#include "../include/rvos/param.h" /* MAXARG */

#define CMDLINE_MAX 1024
#define MAX_WORDS 32
#define MAX_TAIL (MAXARG - 1) /* argv[0] is init's path */

static char raw[CMDLINE_MAX];
static char buf[CMDLINE_MAX];
static const char *keys[MAX_WORDS], *vals[MAX_WORDS];
static int nwords, dashdash = -1;
static const char *tail[MAX_TAIL];
static int ntail;
static const char *error; /* what could not be taken in, if anything */

void cmdline_init(const char *bootargs)
{
    strncpy_safe(raw, bootargs ? bootargs : "", sizeof raw);
    strncpy_safe(buf, raw, sizeof buf);
    char *p = buf;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            *p++ = 0;
        if (!*p)
            break;
        char *word = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if (*p)
            *p++ = 0;
        if (dashdash >= 0) {
            if (ntail < MAX_TAIL)
                tail[ntail++] = word;
            else
                error = "more arguments after -- than the first process can take (MAXARG - 1 = 31)";
            continue;
        }
        if (strcmp(word, "--") == 0) {
            dashdash = nwords;
            continue;
        }
        if (nwords == MAX_WORDS) {
            error = "more than 32 words before --";
            continue;
        }
        char *eq = word;
        while (*eq && *eq != '=')
            eq++;
        keys[nwords] = word;
        vals[nwords] = *eq ? eq + 1 : "";
        *eq = 0;
        nwords++;
    }
}

const char *cmdline_get(const char *key)
{
    for (int i = nwords - 1; i >= 0; i--) /* the last one wins */
        if (strcmp(keys[i], key) == 0)
            return vals[i];
    return 0;
}

const char *cmdline_raw(void) { return raw; }

const char *cmdline_error(void) { return error; }

void cmdline_set_error(const char *why) { error = why; }

int cmdline_init_argv(const char **argv, int max)
{
    int n = 0;
    for (; n < ntail && n < max; n++)
        argv[n] = tail[n];
    return n;
}
