mkdir xa
echo hello > xa/b
mkdir xc
echo hello > xc/b
echo hello > b
find . b | xargs grep hello
