# Packs ROOT (plus DATA files, copied to /data) into a cpio "newc" archive.
# Usage: cmake -DROOT=dir -DOUT=file [-DDATA=files] -P initramfs.cmake
find_program(CPIO cpio REQUIRED)
if(DATA)
  file(MAKE_DIRECTORY ${ROOT}/data)
  file(COPY ${DATA} DESTINATION ${ROOT}/data)
endif()
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
