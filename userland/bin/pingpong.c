/* pingpong: the parent sends one byte to its child over a pipe; the child
 * prints "<pid>: received ping" and sends it back over another pipe; the
 * parent then prints "<pid>: received pong" (lab util). */
#include "user.h"

int main(void)
{
    /* LAB util BEGIN: two pipes, one byte each way, each side printing what it received */
    int down[2], up[2];
    if (pipe(down) < 0 || pipe(up) < 0) {
        fprintf(2, "pingpong: pipe failed\n");
        exit(1);
    }
    int pid = fork();
    if (pid < 0) {
        fprintf(2, "pingpong: fork failed\n");
        exit(1);
    }
    char byte = 'x';
    if (pid == 0) {
        close(down[1]);
        close(up[0]);
        if (read(down[0], &byte, 1) != 1)
            exit(1);
        printf("%d: received ping\n", getpid());
        exit(write(up[1], &byte, 1) == 1 ? 0 : 1);
    }
    close(down[0]);
    close(up[1]);
    int ok = write(down[1], &byte, 1) == 1 && read(up[0], &byte, 1) == 1;
    if (ok)
        printf("%d: received pong\n", getpid());
    int status = 1;
    wait(&status);
    exit(ok && status == 0 ? 0 : 1);
    /* LAB util STUB
    fprintf(2, "pingpong: not written yet\n");
    exit(1);
       LAB util END */
}
