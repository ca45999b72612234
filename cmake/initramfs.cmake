# Packs ROOT (plus DATA files, copied to /data) into a cpio "newc" archive.
# Usage: cmake -DROOT=dir -DOUT=file [-DDATA=files] -P initramfs.cmake
find_program(CPIO cpio REQUIRED)
if(DATA)
  file(MAKE_DIRECTORY ${ROOT}/data)
  file(COPY ${DATA} DESTINATION ${ROOT}/data)
endif()

# The classic layout: course programs exec and open programs and README
# relative to "/" (usertests' exec("echo") and open("README"), grind's
# exec("/cat")). So every program in /bin is also a name in /, and
# /README is /data/README.txt: hard links, made afresh at each packing (a
# relinked program is a new file), that cost no second copy. A program
# whose name is already a directory in / keeps only its /bin name.
file(GLOB programs RELATIVE ${ROOT}/bin ${ROOT}/bin/*)
# The util lab's grader runs "sh < xargstest.sh" in / as well.
set(classic ${programs})
if(EXISTS ${ROOT}/data/README.txt)
  list(APPEND classic README)
endif()
if(EXISTS ${ROOT}/data/xargstest.sh)
  list(APPEND classic xargstest.sh)
endif()
foreach(name IN LISTS classic)
  if(name STREQUAL "README")
    set(target ${ROOT}/data/README.txt)
  elseif(name STREQUAL "xargstest.sh")
    set(target ${ROOT}/data/xargstest.sh)
  else()
    set(target ${ROOT}/bin/${name})
  endif()
  if(IS_DIRECTORY ${ROOT}/${name})
    message(WARNING "initramfs: /${name} is a directory: /bin/${name} gets no classic name in /")
    continue()
  endif()
  file(REMOVE ${ROOT}/${name})
  file(CREATE_LINK ${target} ${ROOT}/${name})
endforeach()

file(GLOB_RECURSE entries RELATIVE ${ROOT} LIST_DIRECTORIES true ${ROOT}/*)
list(SORT entries)
string(REPLACE ";" "\n" listing "${entries}")
file(WRITE ${OUT}.list "${listing}\n")
execute_process(COMMAND ${CPIO} --quiet -o -H newc --reproducible -R 0:0
  WORKING_DIRECTORY ${ROOT} INPUT_FILE ${OUT}.list OUTPUT_FILE ${OUT}.tmp RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cpio failed")
endif()
file(RENAME ${OUT}.tmp ${OUT})
