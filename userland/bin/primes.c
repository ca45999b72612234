/* primes: the primes up to LIMIT, one "prime N" line each, found by a
 * pipeline of processes (lab util): the first feeds 2..LIMIT into a pipe;
 * each stage prints the first number it reads, which is a prime, and
 * passes on to the next stage, which it forks when it has something to
 * pass, only the numbers that prime does not divide. */
#include "user.h"

#define LIMIT 280

/* One stage: reads numbers from in until it is closed; a forked child
 * goes round again as the next stage. Never returns. */
static void stage(int in)
{
    /* LAB util BEGIN: print the first number; fork the next stage and pass it the numbers it does not divide */
    for (;;) {
        int prime, n, out = -1, next = -1;
        if (read(in, &prime, sizeof prime) != sizeof prime)
            exit(0);
        printf("prime %d\n", prime);
        while (next < 0 && read(in, &n, sizeof n) == sizeof n) {
            if (n % prime == 0)
                continue;
            if (out < 0) {
                int p[2], child;
                if (pipe(p) < 0 || (child = fork()) < 0) {
                    fprintf(2, "primes: out of pipes or processes\n");
                    exit(1);
                }
                if (child == 0) { /* the next stage: reads p[0] */
                    close(in);
                    close(p[1]);
                    next = p[0];
                    continue;
                }
                close(p[0]);
                out = p[1];
            }
            if (write(out, &n, sizeof n) != sizeof n)
                exit(1);
        }
        if (next >= 0) {
            in = next;
            continue;
        }
        close(in);
        int status = 0;
        if (out >= 0) {
            close(out); /* the next stage reads to the end, then exits */
            wait(&status);
        }
        exit(status);
    }
    /* LAB util STUB
    (void)in;
    exit(1);
       LAB util END */
}

int main(void)
{
    int p[2];
    if (pipe(p) < 0) {
        fprintf(2, "primes: pipe failed\n");
        exit(1);
    }
    int pid = fork();
    if (pid < 0) {
        fprintf(2, "primes: fork failed\n");
        exit(1);
    }
    if (pid == 0) {
        close(p[1]);
        stage(p[0]);
    }
    close(p[0]);
    for (int n = 2; n <= LIMIT; n++)
        if (write(p[1], &n, sizeof n) != sizeof n)
            break;
    close(p[1]);
    int status = 1;
    wait(&status);
    exit(status);
}
