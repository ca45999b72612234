# demo.sh: a tour of the shell. Run it with "sh /data/demo.sh".
echo pipes: ; cat /data/demo.sh | grep echo | wc
echo grep with anchors: ; grep '^# demo' /data/demo.sh
echo a group in a pipe: ; ( echo one ; echo two ; echo three ) | grep t
echo in the background: ; echo background job & wait
echo files: ; mkdir /demo ; echo hello > /demo/a ; echo world >> /demo/a ; cat /demo/a
echo links: ; ln /demo/a /demo/b ; rm /demo/a ; ls /demo
echo errors go to fd 2: ; cat /demo/a 2>&1 | grep cannot
rm /demo/b ; rm /demo
echo memory: ; memstat -a
