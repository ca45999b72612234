/* sh: the rvos shell.
 *
 *   sh               read commands from standard input ("$ " prompt on the console)
 *   sh FILE          run the commands in FILE, no prompt
 *   sh -c COMMAND    run one command line
 *
 * A line goes through three stages:
 *
 *   lex    split the text into words and operators (quotes, backslash, '#')
 *   parse  build a small tree: sequences, background jobs, pipes, groups
 *   run    walk the tree, forking only where a new process is needed, so
 *          that builtins such as cd and exit act on the shell itself
 *
 * Grammar (one line at a time):
 *
 *   list      := pipeline { (';' | '&') pipeline } [ ';' | '&' ]
 *   pipeline  := command { '|' command }
 *   command   := '(' list ')' { redir } | { WORD | redir }+
 *   redir     := [digit] ('<' | '>' | '>>') WORD | [digit] '>&' digit
 *
 * Everything one line needs lives in fixed-size arrays that are reset for
 * the next line. A line that is too long, too complex or malformed gets a
 * message and is dropped; it can never overrun a buffer or leak memory.
 *
 * On the console the shell edits its command line itself, with the
 * console in raw mode: arrow keys move and recall history (see the
 * "line editor" section). Commands it runs get the console back in line
 * mode. Each foreground command line (a pipeline, a group, a command) is
 * a job of its own, and the console's foreground job while it runs, so
 * that Ctrl-C stops it and not the shell; background jobs are jobs the
 * console never hears of (include/rvos/jobctl.h). */
#include "user.h"
#include "kernel/param.h"

#define LINE_MAX 1024   /* longest accepted input line, newline excluded */
#define MAX_TOKENS 256  /* operators and words on one line */
#define MAX_NODES 128   /* tree nodes on one line */
#define MAX_REDIRS 32   /* redirections on one line */
#define MAX_ARGS MAXARG /* words exec takes, the command name included */
#define MAX_DEPTH 16    /* nesting of parentheses */
#define MAX_CHILDREN 64 /* children the shell keeps track of */

/* ---------------------------------------------------------------- lexer */

enum tok_kind { TK_END, TK_WORD, TK_PIPE, TK_SEMI, TK_AMP, TK_LPAREN, TK_RPAREN, TK_IN, TK_OUT, TK_APPEND, TK_DUP };

struct token {
    enum tok_kind kind;
    char *word; /* TK_WORD: the word, quotes removed */
    int fd;     /* redirections: the fd written before the operator, or -1 */
};

static struct token tokens[MAX_TOKENS];
static int ntokens;
/* Words are copied here because removing quotes changes them. Each word
 * takes at most its source text plus a NUL, so twice the line suffices. */
static char words[2 * LINE_MAX + 2];
static int words_used;

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
static int is_operator(char c) { return c && strchr("|;&()<>", c) != 0; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* How a token looks in a "syntax error near ..." message. */
static const char *tok_text(const struct token *t)
{
    static const char *names[] = {"", "", "|", ";", "&", "(", ")", "<", ">", ">>", ">&"};
    return t->kind == TK_WORD ? t->word : names[t->kind];
}

static int add_token(enum tok_kind kind, char *word, int fd)
{
    if (ntokens == MAX_TOKENS) {
        fprintf(2, "sh: line has too many words\n");
        return -1;
    }
    tokens[ntokens].kind = kind;
    tokens[ntokens].word = word;
    tokens[ntokens].fd = fd;
    ntokens++;
    return 0;
}

/* Reads one word starting at *pp into the word buffer. Single and double
 * quotes both keep their contents literally (there are no variables to
 * expand); a backslash takes the next character literally. */
static char *lex_word(const char **pp)
{
    const char *p = *pp;
    char *start = &words[words_used];
    char *w = start;
    char *limit = words + sizeof words - 1;
    while (*p && !is_space(*p) && !is_operator(*p)) {
        if (w >= limit)
            return 0; /* cannot happen with lines capped at LINE_MAX */
        if (*p == '\'' || *p == '"') {
            char q = *p++;
            while (*p && *p != q && w < limit)
                *w++ = *p++;
            if (*p != q) {
                fprintf(2, "sh: unterminated quote\n");
                return 0;
            }
            p++;
        } else if (*p == '\\' && p[1]) {
            *w++ = p[1];
            p += 2;
        } else {
            *w++ = *p++;
        }
    }
    *w++ = 0;
    words_used += (int)(w - start);
    *pp = p;
    return start;
}

/* Splits line into tokens; the list always ends with TK_END. */
static int lex(const char *p)
{
    ntokens = 0;
    words_used = 0;
    for (;;) {
        while (is_space(*p))
            p++;
        if (*p == 0 || *p == '#') /* '#' starts a comment only where a word could start */
            return add_token(TK_END, 0, -1);
        int fd = -1;
        if (is_digit(*p) && (p[1] == '<' || p[1] == '>'))
            fd = *p++ - '0'; /* "2>file" redirects fd 2 */
        static const char singles[] = "|;&()<";
        static const enum tok_kind single_kinds[] = {TK_PIPE, TK_SEMI, TK_AMP, TK_LPAREN, TK_RPAREN, TK_IN};
        const char *op = strchr(singles, *p);
        int r;
        if (op) {
            r = add_token(single_kinds[op - singles], 0, fd);
            p++;
        } else if (*p == '>') {
            enum tok_kind k = p[1] == '>' ? TK_APPEND : p[1] == '&' ? TK_DUP : TK_OUT;
            r = add_token(k, 0, fd);
            p += k == TK_OUT ? 1 : 2;
        } else {
            char *w = lex_word(&p);
            r = w ? add_token(TK_WORD, w, -1) : -1;
        }
        if (r < 0)
            return -1;
    }
}

/* --------------------------------------------------------------- parser */

enum node_kind { N_CMD, N_GROUP, N_PIPE, N_SEQ, N_BACK };

struct redir {
    enum tok_kind kind; /* TK_IN, TK_OUT, TK_APPEND or TK_DUP */
    int fd;             /* the descriptor that gets redirected */
    char *target;       /* file name, or for TK_DUP the source descriptor */
    struct redir *next;
};

struct node {
    enum node_kind kind;
    struct node *left, *right; /* PIPE, SEQ: both; GROUP, BACK: left only */
    char *argv[MAX_ARGS + 1];  /* CMD */
    int argc;
    struct redir *redirs; /* CMD, GROUP: applied in order */
};

static struct node nodes[MAX_NODES];
static int nnodes;
static struct redir redirs[MAX_REDIRS];
static int nredirs;
static int cur;   /* next token */
static int depth; /* open parentheses */

static struct token *peek(void) { return &tokens[cur]; }

static void syntax_error(void)
{
    if (peek()->kind == TK_END)
        fprintf(2, "sh: syntax error near end of line\n");
    else
        fprintf(2, "sh: syntax error near '%s'\n", tok_text(peek()));
}

static struct node *new_node(enum node_kind kind, struct node *left, struct node *right)
{
    if (nnodes == MAX_NODES) {
        fprintf(2, "sh: command too complex\n");
        return 0;
    }
    struct node *n = &nodes[nnodes++];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->left = left;
    n->right = right;
    return n;
}

static int is_redir(enum tok_kind k) { return k == TK_IN || k == TK_OUT || k == TK_APPEND || k == TK_DUP; }

/* Parses one redirection at the cursor and appends it to n's list. */
static int parse_redir(struct node *n)
{
    struct token *op = &tokens[cur++];
    if (peek()->kind != TK_WORD) {
        syntax_error();
        return -1;
    }
    char *target = tokens[cur++].word;
    if (op->kind == TK_DUP && !(is_digit(target[0]) && target[1] == 0)) {
        fprintf(2, "sh: bad descriptor in '>&%s'\n", target);
        return -1;
    }
    if (nredirs == MAX_REDIRS) {
        fprintf(2, "sh: too many redirections\n");
        return -1;
    }
    struct redir *r = &redirs[nredirs++];
    r->kind = op->kind;
    r->fd = op->fd >= 0 ? op->fd : op->kind == TK_IN ? 0 : 1;
    r->target = target;
    r->next = 0;
    struct redir **tail = &n->redirs;
    while (*tail)
        tail = &(*tail)->next;
    *tail = r;
    return 0;
}

static struct node *parse_list(void);

static struct node *parse_command(void)
{
    struct node *n;
    if (peek()->kind == TK_LPAREN) {
        if (++depth > MAX_DEPTH) {
            fprintf(2, "sh: parentheses nested too deeply\n");
            return 0;
        }
        cur++;
        struct node *inner = parse_list();
        if (!inner)
            return 0;
        if (peek()->kind != TK_RPAREN) {
            syntax_error();
            return 0;
        }
        cur++;
        depth--;
        if (!(n = new_node(N_GROUP, inner, 0)))
            return 0;
        while (is_redir(peek()->kind))
            if (parse_redir(n) < 0)
                return 0;
        if (peek()->kind == TK_WORD || peek()->kind == TK_LPAREN) {
            syntax_error(); /* "(a) b" */
            return 0;
        }
        return n;
    }
    if (!(n = new_node(N_CMD, 0, 0)))
        return 0;
    for (;;) {
        enum tok_kind k = peek()->kind;
        if (k == TK_WORD) {
            if (n->argc == MAX_ARGS) {
                fprintf(2, "sh: too many arguments: at most %d words per command, its name included (MAXARG)\n",
                        MAX_ARGS);
                return 0;
            }
            n->argv[n->argc++] = tokens[cur++].word;
        } else if (is_redir(k)) {
            if (parse_redir(n) < 0)
                return 0;
        } else {
            break;
        }
    }
    if (n->argc == 0 && !n->redirs) {
        syntax_error(); /* "| a", "; ;", "a | )" ... */
        return 0;
    }
    if (peek()->kind == TK_LPAREN) {
        syntax_error(); /* "a (b)" */
        return 0;
    }
    return n;
}

static struct node *parse_pipeline(void)
{
    struct node *left = parse_command();
    if (!left || peek()->kind != TK_PIPE)
        return left;
    cur++;
    struct node *right = parse_pipeline();
    return right ? new_node(N_PIPE, left, right) : 0;
}

/* A list ends at the end of the line or at the ')' closing a group. */
static int list_ends(void)
{
    enum tok_kind k = peek()->kind;
    return k == TK_END || (k == TK_RPAREN && depth > 0);
}

static struct node *parse_list(void)
{
    struct node *list = 0;
    for (;;) {
        struct node *n = parse_pipeline();
        if (!n)
            return 0;
        enum tok_kind sep = peek()->kind;
        if (sep == TK_AMP && !(n = new_node(N_BACK, n, 0)))
            return 0;
        if (list && !(n = new_node(N_SEQ, list, n)))
            return 0;
        list = n;
        if (sep != TK_SEMI && sep != TK_AMP)
            return list;
        cur++;
        if (list_ends())
            return list;
    }
}

/* Builds the tree for a line; 0 for an empty line or an error (*err set). */
static struct node *parse_line(const char *line, int *err)
{
    nnodes = nredirs = cur = depth = 0;
    *err = 0;
    if (lex(line) < 0) {
        *err = 1;
        return 0;
    }
    if (peek()->kind == TK_END)
        return 0;
    struct node *n = parse_list();
    if (n && peek()->kind != TK_END) {
        syntax_error(); /* a ')' without its '(' */
        n = 0;
    }
    if (!n)
        *err = 1;
    return n;
}

/* ------------------------------------------------------------- children */

/* The shell remembers the children it started so that it can wait for a
 * particular one while others (background jobs) finish in between. */
struct child {
    int pid;
    int status;
    int done;
    int background;
};

static struct child children[MAX_CHILDREN];
static int interactive; /* reading commands from the console */
static int child_job;   /* the job new children join (0: stay in ours) */
static int interrupted; /* a foreground job was stopped by ^C: drop the rest of the line */
static int script_fd = -1;
static int last_status;

static struct child *child_find(int pid)
{
    for (int i = 0; i < MAX_CHILDREN; i++)
        if (children[i].pid == pid)
            return &children[i];
    return 0;
}

static void child_add(int pid, int background)
{
    struct child *c = child_find(0);
    for (int i = 0; !c && i < MAX_CHILDREN; i++)
        if (children[i].background && children[i].done)
            c = &children[i]; /* give up reporting an old job rather than lose this one */
    if (!c)
        return; /* every slot is a running job: this one is waited for by pid alone */
    c->pid = pid;
    c->done = 0;
    c->status = 0;
    c->background = background;
}

/* Reaps one child and records its status. Returns its pid, or -1 when
 * there are no children left. Pids we never started are orphans handed to
 * us when we run as the first process; they are simply reaped. */
static int reap_one(int *status)
{
    int pid = wait(status);
    if (pid < 0)
        return -1;
    struct child *c = child_find(pid);
    if (c) {
        c->done = 1;
        c->status = *status;
        if (c->background && !interactive)
            c->pid = 0; /* nobody will be told about it */
    }
    return pid;
}

/* Waits until child pid has exited and returns its exit status. */
static int wait_for(int pid)
{
    struct child *c = child_find(pid);
    int status = -1;
    while (!(c && c->done)) {
        int got = reap_one(&status);
        if (got < 0)
            return -1;
        if (got == pid)
            break; /* covers a pid that did not fit in the table */
    }
    if (c) {
        status = c->status;
        c->pid = 0;
    }
    if (status == STATUS_INTERRUPTED)
        interrupted = 1;
    return status;
}

/* Reports background jobs that have finished since the last prompt. */
static void report_jobs(void)
{
    for (int i = 0; i < MAX_CHILDREN; i++) {
        struct child *c = &children[i];
        if (c->pid && c->background && c->done) {
            if (c->status == 0)
                fprintf(2, "[%d] done\n", c->pid);
            else if (c->status == STATUS_INTERRUPTED)
                fprintf(2, "[%d] interrupted\n", c->pid);
            else
                fprintf(2, "[%d] exit %d\n", c->pid, c->status);
            c->pid = 0;
        }
    }
}

/* ------------------------------------------------------------- executor */

static int run(struct node *n);

/* Makes fd refer to what from refers to, then closes from. dup() hands out
 * the lowest free descriptor, so when lower ones are free too it may take
 * a few tries to land on fd. */
static int move_fd(int from, int fd)
{
    if (from == fd)
        return 0;
    close(fd);
    int extra[16], nextra = 0, got = -1;
    while (nextra < 16) {
        got = dup(from);
        if (got < 0 || got == fd)
            break;
        extra[nextra++] = got;
    }
    while (nextra > 0)
        close(extra[--nextra]);
    close(from);
    return got == fd ? 0 : -1;
}

/* Opens a file for ">>". There is no lseek, so read to the end: the
 * offset is shared with the descriptor the command will write to. */
static int open_append(const char *path)
{
    int fd = open(path, O_RDWR | O_CREATE);
    if (fd < 0)
        return -1;
    char buf[512];
    while (read(fd, buf, sizeof buf) > 0)
        ;
    return fd;
}

static int apply_redirs(struct redir *r)
{
    for (; r; r = r->next) {
        int fd;
        if (r->kind == TK_DUP) {
            fd = dup(r->target[0] - '0');
            if (fd < 0) {
                fprintf(2, "sh: bad descriptor %s\n", r->target);
                return -1;
            }
        } else {
            if (r->kind == TK_IN)
                fd = open(r->target, O_RDONLY);
            else if (r->kind == TK_OUT)
                fd = open(r->target, O_WRONLY | O_CREATE | O_TRUNC);
            else
                fd = open_append(r->target);
            if (fd < 0) {
                fprintf(2, "sh: cannot open %s\n", r->target);
                return -1;
            }
        }
        if (move_fd(fd, r->fd) < 0) {
            fprintf(2, "sh: cannot redirect fd %d\n", r->fd);
            return -1;
        }
    }
    return 0;
}

/* Runs argv if it names a builtin and returns its status; -1 when it does
 * not. Standing alone, a builtin runs in the shell process itself; inside
 * a pipe or group it runs in that child, as any command would. */
static int builtin(int argc, char **argv)
{
    if (strcmp(argv[0], "cd") == 0) {
        const char *dir = argc > 1 ? argv[1] : "/";
        if (argc > 2) {
            fprintf(2, "usage: cd [dir]\n");
            return 1;
        }
        if (chdir(dir) < 0) {
            fprintf(2, "sh: cannot cd %s\n", dir);
            return 1;
        }
        return 0;
    }
    if (strcmp(argv[0], "exit") == 0) {
        if (argc > 2) {
            fprintf(2, "usage: exit [status]\n");
            return 1;
        }
        exit(argc > 1 ? atoi(argv[1]) : last_status);
    }
    if (strcmp(argv[0], "wait") == 0) { /* wait for every background job */
        int status;
        while (reap_one(&status) >= 0)
            ;
        report_jobs();
        return 0;
    }
    return -1;
}

static int is_builtin(const char *name)
{
    return strcmp(name, "cd") == 0 || strcmp(name, "exit") == 0 || strcmp(name, "wait") == 0;
}

/* Runs a builtin in the shell process itself, so that "cd dir > log"
 * still changes the shell's directory. Redirections are applied around
 * it: the descriptors they replace are saved first and put back after. */
static int run_builtin_here(struct node *n)
{
    if (!n->redirs)
        return builtin(n->argc, n->argv);
    int saved[10];
    for (int i = 0; i < 10; i++)
        saved[i] = -2; /* -2: left alone; -1: was closed */
    for (struct redir *r = n->redirs; r; r = r->next)
        if (saved[r->fd] == -2)
            saved[r->fd] = dup(r->fd);
    int status = apply_redirs(n->redirs) < 0 ? 1 : builtin(n->argc, n->argv);
    for (int i = 0; i < 10; i++) {
        if (saved[i] >= 0)
            move_fd(saved[i], i);
        else if (saved[i] == -1)
            close(i);
    }
    return status;
}

/* Where the command argv[0] names lives: names without a '/' are looked
 * up in /bin first, so that commands work the same whatever the current
 * directory is, then in the current directory. 0 if nowhere. */
static const char *find_command(const char *name, char *buf, int size, struct stat *st)
{
    if (!strchr(name, '/') && (int)strlen(name) + 6 <= size) {
        snprintf(buf, size, "/bin/%s", name);
        if (stat(buf, st) == 0)
            return buf;
    }
    return stat(name, st) == 0 ? name : 0;
}

/* Why exec refused a file that exists: the kernel only says -1. */
static const char *exec_failure(const char *path)
{
    char magic[4];
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return "cannot open it";
    int n = read(fd, magic, sizeof magic);
    close(fd);
    if (n != 4 || memcmp(magic,
                         "\x7f"
                         "ELF",
                         4) != 0)
        return "not an executable program (no ELF header)";
    return "cannot execute: bad ELF file for this machine, or out of memory";
}

static void exec_command(char **argv) __attribute__((noreturn));
static void exec_command(char **argv)
{
    char buf[MAXPATH];
    struct stat st;
    const char *path = find_command(argv[0], buf, sizeof buf, &st);
    if (!path) {
        fprintf(2, "sh: %s: not found\n", argv[0]);
        exit(127);
    }
    if (st.type == T_DIR) {
        fprintf(2, "sh: %s: is a directory\n", argv[0]);
        exit(126);
    }
    if (st.type != T_FILE) {
        fprintf(2, "sh: %s: not an executable program (a device)\n", argv[0]);
        exit(126);
    }
    exec(path, argv);
    fprintf(2, "sh: %s: %s\n", argv[0], exec_failure(path));
    exit(126);
}

/* Runs n in the current process, which is a child made for it. */
static void run_in_child(struct node *n) __attribute__((noreturn));
static void run_in_child(struct node *n)
{
    interactive = 0; /* only the top-level shell talks about jobs */
    if (n->kind == N_CMD || n->kind == N_GROUP) {
        if (apply_redirs(n->redirs) < 0)
            exit(1);
    }
    if (n->kind == N_CMD) {
        if (n->argc == 0)
            exit(0); /* "> file" alone just creates the file */
        int status = builtin(n->argc, n->argv);
        if (status >= 0)
            exit(status);
        exec_command(n->argv);
    }
    exit(run(n->kind == N_GROUP ? n->left : n));
}

/* Called first in every new child. */
static void forget_parent_state(void)
{
    /* Commands must not read our script. Forget its number too: a pipe
     * made later in this child may well be given the same descriptor. */
    if (script_fd >= 0)
        close(script_fd);
    script_fd = -1;
    /* The parent's children are not ours to wait for. */
    memset(children, 0, sizeof children);
    /* Join the job before running anything, so that a ^C typed as soon
     * as the command shows signs of life reaches it. */
    if (child_job)
        jobctl(JOB_JOIN, child_job);
}

/* Forks a child to run n. Returns its pid, or -1. */
static int spawn(struct node *n, int background)
{
    int pid = fork();
    if (pid < 0) {
        fprintf(2, "sh: fork failed\n");
        return -1;
    }
    if (pid == 0) {
        forget_parent_state();
        run_in_child(n);
    }
    child_add(pid, background);
    return pid;
}

/* Runs both sides of a pipe, each in its own child. */
static int run_pipe(struct node *n)
{
    int p[2];
    if (pipe(p) < 0) {
        fprintf(2, "sh: cannot make a pipe\n");
        return 1;
    }
    int pids[2];
    for (int side = 0; side < 2; side++) {
        pids[side] = fork();
        if (pids[side] < 0) {
            fprintf(2, "sh: fork failed\n");
            break;
        }
        if (pids[side] == 0) {
            forget_parent_state();
            /* left writes into the pipe, right reads from it */
            if (move_fd(p[side == 0 ? 1 : 0], side == 0 ? 1 : 0) < 0)
                exit(1);
            close(p[side == 0 ? 0 : 1]);
            run_in_child(side == 0 ? n->left : n->right);
        }
        child_add(pids[side], 0);
    }
    close(p[0]);
    close(p[1]);
    int status = 1;
    if (pids[0] > 0)
        status = wait_for(pids[0]);
    if (pids[0] > 0 && pids[1] > 0)
        status = wait_for(pids[1]);
    return pids[0] > 0 && pids[1] > 0 ? status : 1;
}

static int run_here(struct node *n);

/* Runs n from within the shell process and returns its exit status. The
 * interactive shell makes each foreground pipeline or command a job of
 * its own and the console's foreground job while it runs: ^C then stops
 * it, not the shell. A shell that is not interactive leaves its children
 * in its own job: it is part of whatever job it was started in. */
static int run(struct node *n)
{
    int builtin_here = n->kind == N_CMD && n->argc > 0 && is_builtin(n->argv[0]);
    if (!interactive || n->kind == N_SEQ || n->kind == N_BACK || builtin_here)
        return run_here(n);
    child_job = jobctl(JOB_NEW, 0);
    jobctl(JOB_FOREGROUND, child_job);
    int status = run_here(n);
    jobctl(JOB_FOREGROUND, 0);
    child_job = 0;
    return status;
}

static int run_here(struct node *n)
{
    int pid;
    switch (n->kind) {
    case N_SEQ:
        run(n->left);
        if (interrupted)
            return STATUS_INTERRUPTED; /* ^C stops the whole line */
        return run(n->right);
    case N_BACK:
        if (interactive)
            child_job = jobctl(JOB_NEW, 0); /* one ^C never hears of */
        pid = spawn(n->left, 1);
        child_job = 0;
        if (pid < 0)
            return 1;
        if (interactive)
            fprintf(2, "[%d]\n", pid);
        return 0;
    case N_PIPE:
        return run_pipe(n);
    case N_CMD:
        if (n->argc > 0 && is_builtin(n->argv[0]))
            return run_builtin_here(n);
        /* fall through */
    case N_GROUP:
        pid = spawn(n, 0);
        return pid < 0 ? 1 : wait_for(pid);
    }
    return 1;
}

/* ---------------------------------------------------------------- input */

struct input {
    int fd;
    int buffered; /* a script file is ours alone; stdin is shared with commands */
    char buf[512];
    int pos, len;
};

static int input_getc(struct input *in)
{
    if (!in->buffered) {
        /* One byte at a time, so that a command started by this line
         * finds the rest of standard input still unread. */
        char c;
        return read(in->fd, &c, 1) == 1 ? (uchar)c : -1;
    }
    if (in->pos == in->len) {
        in->len = read(in->fd, in->buf, sizeof in->buf);
        in->pos = 0;
        if (in->len <= 0) {
            in->len = 0;
            return -1;
        }
    }
    return (uchar)in->buf[in->pos++];
}

/* Reads one line without its newline into line (LINE_MAX + 1 bytes).
 * Returns its length, -1 at end of input, or -2 for a line that was too
 * long (its remainder has been read and thrown away). */
static int read_line(struct input *in, char *line)
{
    int n = 0, c, too_long = 0;
    while ((c = input_getc(in)) >= 0 && c != '\n') {
        if (n < LINE_MAX)
            line[n++] = (char)c;
        else
            too_long = 1;
    }
    line[n] = 0;
    if (too_long)
        return -2;
    if (c < 0 && n == 0)
        return -1;
    return n;
}

/* ---------------------------------------------------------- line editor */

/* On the console the shell reads its command line in raw mode and does
 * the editing itself, because history belongs to the shell, not to the
 * kernel: the kernel's line mode stays the simple, classic one that cat
 * and course programs read through. Keys: printable characters insert at
 * the cursor; Left/Right (or ^B/^F), Home/End (or ^A/^E) move; Backspace
 * and Delete erase; Up/Down walk the history (^P is not "previous": the
 * kernel keeps it for its process list); ^U erases the line; ^C abandons
 * it; ^L clears the screen; ^D on an empty line ends the shell; Tab
 * inserts a space; every other control character and escape sequence is
 * ignored. The screen is updated with backspaces and reprinting only, so
 * any terminal will do. */

#define HISTORY 32

static char history[HISTORY][LINE_MAX + 1];
static int history_count; /* lines stored so far (the newest is history[(count - 1) % HISTORY]) */

struct editor {
    char *line; /* LINE_MAX + 1 bytes */
    int len, pos;
    int too_long;             /* characters were refused: the line will be discarded */
    int browse;               /* lines back in history being shown (0: the line being typed) */
    char draft[LINE_MAX + 1]; /* the line being typed, while browsing */
    char out[256];
    int nout;
};

static void ed_flush(struct editor *e)
{
    if (e->nout)
        write(2, e->out, e->nout);
    e->nout = 0;
}

static void ed_put(struct editor *e, char c)
{
    if (e->nout == (int)sizeof e->out)
        ed_flush(e);
    e->out[e->nout++] = c;
}

static void ed_puts(struct editor *e, const char *s)
{
    while (*s)
        ed_put(e, *s++);
}

/* Redraws from the cursor to the end of the line, erasing `extra` stale
 * characters beyond it, and puts the cursor back. */
static void ed_redraw_tail(struct editor *e, int extra)
{
    for (int i = e->pos; i < e->len; i++)
        ed_put(e, e->line[i]);
    for (int i = 0; i < extra; i++)
        ed_put(e, ' ');
    for (int i = e->len + extra; i > e->pos; i--)
        ed_put(e, '\b');
}

static void ed_move(struct editor *e, int to)
{
    for (; e->pos > to; e->pos--)
        ed_put(e, '\b');
    for (; e->pos < to; e->pos++)
        ed_put(e, e->line[e->pos]);
}

static void ed_insert(struct editor *e, char c)
{
    if (e->len == LINE_MAX) {
        if (!e->too_long)
            ed_put(e, '\a'); /* once: the line is lost anyway, Enter says so */
        e->too_long = 1;
        return;
    }
    memmove(e->line + e->pos + 1, e->line + e->pos, e->len - e->pos);
    e->line[e->pos] = c;
    e->len++;
    ed_put(e, c);
    e->pos++;
    ed_redraw_tail(e, 0);
}

static void ed_delete(struct editor *e) /* the character under the cursor */
{
    if (e->pos == e->len)
        return;
    memmove(e->line + e->pos, e->line + e->pos + 1, e->len - e->pos - 1);
    e->len--;
    ed_redraw_tail(e, 1);
}

/* Replaces the whole line with text, cursor at its end. */
static void ed_replace(struct editor *e, const char *text)
{
    int old = e->len;
    ed_move(e, 0);
    e->len = (int)strlen(text);
    memmove(e->line, text, e->len);
    ed_redraw_tail(e, old > e->len ? old - e->len : 0);
    ed_move(e, e->len);
}

static void ed_history(struct editor *e, int dir) /* dir 1: older, -1: newer */
{
    int to = e->browse + dir;
    int stored = history_count < HISTORY ? history_count : HISTORY;
    if (to < 0 || to > stored)
        return;
    if (e->browse == 0) {
        memmove(e->draft, e->line, e->len);
        e->draft[e->len] = 0;
    }
    e->browse = to;
    ed_replace(e, to == 0 ? e->draft : history[(history_count - to) % HISTORY]);
}

static void history_add(const char *line)
{
    if (!line[0] || (history_count && strcmp(history[(history_count - 1) % HISTORY], line) == 0))
        return;
    strcpy(history[history_count % HISTORY], line);
    history_count++;
}

/* Reads the rest of an escape sequence (ESC already read) and acts on the
 * keys it knows: ESC [ or ESC O, digits and ';', then one final byte. */
static void ed_escape(struct editor *e)
{
    char c, param = 0;
    if (read(0, &c, 1) != 1 || (c != '[' && c != 'O'))
        return;
    while (read(0, &c, 1) == 1 && c >= 0x20 && c <= 0x3f)
        if (c >= '0' && c <= '9')
            param = c;
    switch (c) {
    case 'A':
        ed_history(e, 1);
        break;
    case 'B':
        ed_history(e, -1);
        break;
    case 'C':
        ed_move(e, e->pos < e->len ? e->pos + 1 : e->pos);
        break;
    case 'D':
        ed_move(e, e->pos > 0 ? e->pos - 1 : 0);
        break;
    case 'H':
        ed_move(e, 0);
        break;
    case 'F':
        ed_move(e, e->len);
        break;
    case '~':
        if (param == '3')
            ed_delete(e);
        else if (param == '1' || param == '7')
            ed_move(e, 0);
        else if (param == '4' || param == '8')
            ed_move(e, e->len);
        break;
    }
}

/* Reads one line from the console with editing; like read_line. */
static int edit_line(char *line, const char *prompt)
{
    static struct editor e;
    e.line = line;
    e.len = e.pos = e.too_long = e.browse = e.nout = 0;
    int old_mode = consmode(CONS_RAW);
    ed_puts(&e, prompt);
    int result = -3;
    while (result == -3) {
        ed_flush(&e);
        char c;
        if (read(0, &c, 1) != 1) {
            result = e.len ? e.len : -1;
            break;
        }
        switch (c) {
        case '\r':
        case '\n':
            ed_move(&e, e.len);
            ed_put(&e, '\n');
            result = e.too_long ? -2 : e.len;
            break;
        case 0x1b:
            ed_escape(&e);
            break;
        case '\b':
        case 0x7f:
            if (e.pos > 0) {
                ed_move(&e, e.pos - 1);
                ed_delete(&e);
            }
            break;
        case 'C' - '@':
            ed_move(&e, e.len);
            ed_puts(&e, "^C\n");
            e.len = 0;
            result = 0;
            break;
        case 'D' - '@':
            if (e.len == 0) {
                ed_put(&e, '\n');
                result = -1;
            } else {
                ed_delete(&e);
            }
            break;
        case 'U' - '@': {
            int old = e.len;
            ed_move(&e, 0);
            e.len = 0;
            ed_redraw_tail(&e, old);
        } break;
        case 'L' - '@':
            ed_puts(&e, "\033[H\033[2J");
            ed_puts(&e, prompt);
            {
                int at = e.pos;
                e.pos = 0;
                ed_redraw_tail(&e, 0);
                ed_move(&e, at);
            }
            break;
        case 'A' - '@':
            ed_move(&e, 0);
            break;
        case 'E' - '@':
            ed_move(&e, e.len);
            break;
        case 'B' - '@':
            ed_move(&e, e.pos > 0 ? e.pos - 1 : 0);
            break;
        case 'F' - '@':
            ed_move(&e, e.pos < e.len ? e.pos + 1 : e.pos);
            break;
        case '\t':
            ed_insert(&e, ' ');
            break;
        default:
            if ((uchar)c >= 0x20)
                ed_insert(&e, c);
        }
    }
    ed_flush(&e);
    consmode(old_mode);
    line[e.len > 0 ? e.len : 0] = 0;
    if (result >= 0)
        history_add(line);
    return result;
}

static int run_line(const char *line)
{
    int err;
    interrupted = 0;
    if (strlen(line) > LINE_MAX) { /* only "sh -c" can pass one this long */
        fprintf(2, "sh: line too long (limit %d characters)\n", LINE_MAX);
        return 2;
    }
    struct node *tree = parse_line(line, &err);
    if (err)
        return 2;
    if (!tree)
        return last_status;
    int status = run(tree);
    return interrupted ? 130 : status; /* 128 + SIGINT, as Unix shells say */
}

static void usage(void)
{
    fprintf(2, "usage: sh [file | -c command]\n");
    exit(1);
}

int main(int argc, char **argv)
{
    static char line[LINE_MAX + 1];
    static struct input in;
    in.fd = 0;
    if (argc > 1 && strcmp(argv[1], "-c") == 0) {
        if (argc != 3)
            usage();
        exit(run_line(argv[2]));
    }
    if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
        usage();
    if (argc == 2) {
        in.fd = script_fd = open(argv[1], O_RDONLY);
        if (in.fd < 0) {
            fprintf(2, "sh: cannot open %s\n", argv[1]);
            exit(1);
        }
        in.buffered = 1;
    } else {
        struct stat st;
        interactive = fstat(0, &st) == 0 && st.type == T_DEVICE;
        if (interactive)
            jobctl(JOB_FOREGROUND, 0); /* a shell killed mid-command may have left its job there */
    }
    for (;;) {
        int n;
        if (interactive) {
            report_jobs();
            n = edit_line(line, "$ ");
        } else {
            n = read_line(&in, line);
        }
        if (n == -1)
            break;
        if (n == -2) {
            fprintf(2, "sh: line too long (limit %d characters), line discarded\n", LINE_MAX);
            last_status = 2;
            continue;
        }
        last_status = run_line(line);
    }
    exit(last_status);
}
