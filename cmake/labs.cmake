# The course kit in the build (docs/course-kit.md): labs/*/grade.txt give
# their tests the ctest label lab-<lab>; `ninja grade-<lab>` grades a lab,
# `ninja handout-<lab>` writes its student tree into the build tree.
#
#   rvos_labs_read()    top level, before the tests: reads every grade.txt
#   rvos_lab_labels()   at the end of every CMakeLists.txt that adds tests:
#                       labels that directory's graded tests (CMake 3.25
#                       can set a test's properties only in its directory)
#   rvos_labs_finish()  top level, after the tests: every graded test must
#                       exist and be labelled; adds the grade and handout
#                       targets

find_package(Python3 COMPONENTS Interpreter)
set(RVOS_LAB cow CACHE STRING "The lab `ninja grade` grades (a directory labs/<lab>)")
set(RVOS_GRADE_HANG_SECONDS 60 CACHE STRING
    "ninja grade-LAB: a graded guest test still running after this many seconds is a hang (cmake/run-guest.sh)")

function(rvos_labs_read)
  file(GLOB grades RELATIVE ${CMAKE_SOURCE_DIR} ${CMAKE_SOURCE_DIR}/labs/*/grade.txt)
  set(labs "")
  foreach(grade IN LISTS grades)
    get_filename_component(dir ${grade} DIRECTORY)
    get_filename_component(lab ${dir} NAME)
    list(APPEND labs ${lab})
    file(STRINGS ${CMAKE_SOURCE_DIR}/${grade} lines)
    set(tests "")
    set(total 0)
    foreach(line IN LISTS lines)
      string(REGEX REPLACE "#.*" "" line "${line}")
      string(STRIP "${line}" line)
      if(line STREQUAL "")
        continue()
      endif()
      if(NOT line MATCHES "^([0-9]+)[ \t]+([^ \t]+)$")
        message(FATAL_ERROR "${grade}: bad line '${line}': expected 'POINTS TEST' (see docs/course-kit.md)")
      endif()
      set(test ${CMAKE_MATCH_2})
      math(EXPR total "${total} + ${CMAKE_MATCH_1}")
      if(test IN_LIST tests)
        message(FATAL_ERROR "${grade}: test ${test} is listed twice")
      endif()
      list(APPEND tests ${test})
      set_property(GLOBAL APPEND PROPERTY RVOS_LAB_LABELS_${test} lab-${lab})
    endforeach()
    # Every lab is out of 100, so that scores compare across labs.
    if(NOT total EQUAL 100)
      message(FATAL_ERROR "${grade}: the points add up to ${total}; every lab's total is 100")
    endif()
    set_property(GLOBAL PROPERTY RVOS_LAB_TESTS_${lab} ${tests})
  endforeach()
  set_property(GLOBAL PROPERTY RVOS_GRADED_LABS ${labs})
endfunction()

# `ctest -L quick`: what the labs' READMEs tell students to run while they
# work: a few seconds each, every lab's basics, under 3 minutes on two
# busy cores (the whole suite is for CI and the end). The build test comes
# first (see tests/CMakeLists.txt).
set(RVOS_QUICK_TESTS
  build hello.cow boot.kernel_fault_panics
  cow_semantics.cow fork_big.cow cow_copyout.cow cow_readonly.cow fork_oom.cow tlb_fork.cow text_write.cow
  cow_semantics.cow.debug odf_tables.odf proc_basics.cow pipes.cow exec_args.cow bad_pointers.cow
  lazy_sbrk.cow.lazy lazy_syscalls.cow.lazy mmap_file.cow mmap_anon.cow
  syscall_trace.cow syscall_info.cow traps_btrace.cow pgtbl_ugetpid.cow pgtbl_vmprint.cow
  sched_tickets.cow symlinks.basic.cow alloc_stress.batching.cow thread.sequence.cow util.primes.cow
  host.page host.sv39)

function(rvos_lab_labels)
  get_property(tests DIRECTORY PROPERTY TESTS)
  foreach(test IN LISTS tests)
    if(test IN_LIST RVOS_QUICK_TESTS)
      set_property(TEST ${test} APPEND PROPERTY LABELS quick)
    endif()
    # Every test needs what the build test builds: `ctest -R x` never
    # runs a stale kernel.
    if(NOT test STREQUAL "build")
      set_property(TEST ${test} APPEND PROPERTY FIXTURES_REQUIRED rvos_build)
    endif()
    get_property(labels GLOBAL PROPERTY RVOS_LAB_LABELS_${test})
    if(labels)
      set_property(TEST ${test} APPEND PROPERTY LABELS ${labels})
    endif()
  endforeach()
  set_property(GLOBAL APPEND PROPERTY RVOS_LAB_LABELLED_DIRS ${CMAKE_CURRENT_SOURCE_DIR})
endfunction()

# The directory (source path) of every test, as <test>=<dir> pairs.
function(_rvos_all_tests dir out)
  get_property(tests DIRECTORY ${dir} PROPERTY TESTS)
  set(found "")
  foreach(test IN LISTS tests)
    list(APPEND found "${test}=${dir}")
  endforeach()
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub IN LISTS subdirs)
    _rvos_all_tests(${sub} more)
    list(APPEND found ${more})
  endforeach()
  set(${out} ${found} PARENT_SCOPE)
endfunction()

function(rvos_labs_finish)
  _rvos_all_tests(${CMAKE_SOURCE_DIR} all)
  get_property(labelled GLOBAL PROPERTY RVOS_LAB_LABELLED_DIRS)
  get_property(labs GLOBAL PROPERTY RVOS_GRADED_LABS)
  foreach(lab IN LISTS labs)
    get_property(tests GLOBAL PROPERTY RVOS_LAB_TESTS_${lab})
    foreach(test IN LISTS tests)
      set(where "")
      foreach(pair IN LISTS all)
        string(FIND "${pair}" "=" eq)
        string(SUBSTRING "${pair}" 0 ${eq} name)
        if(name STREQUAL test)
          math(EXPR from "${eq} + 1")
          string(SUBSTRING "${pair}" ${from} -1 where)
          break()
        endif()
      endforeach()
      if(where STREQUAL "")
        message(FATAL_ERROR "labs/${lab}/grade.txt names the test '${test}', which does not exist "
                            "(`ctest -N` lists the tests; names are NAME.POLICY, e.g. cow_semantics.cow)")
      endif()
      if(NOT where IN_LIST labelled)
        file(RELATIVE_PATH rel ${CMAKE_SOURCE_DIR} ${where}/CMakeLists.txt)
        message(FATAL_ERROR "labs/${lab}/grade.txt names the test '${test}' of ${rel}, which does not call "
                            "rvos_lab_labels() at its end (see cmake/labs.cmake)")
      endif()
    endforeach()
  endforeach()

  file(GLOB labtxts RELATIVE ${CMAKE_SOURCE_DIR}/labs ${CMAKE_SOURCE_DIR}/labs/*/lab.txt)
  if(NOT Python3_Interpreter_FOUND)
    if(labtxts)
      message(STATUS "python3 not found: no grade-<lab> or handout-<lab> targets (scripts/setup-debian.sh installs it)")
    endif()
    return()
  endif()
  # What the graded tests boot and run (ctest does not build).
  set(deps "")
  foreach(t rvos rvos-debug initramfs host_tests)
    if(TARGET ${t})
      list(APPEND deps ${t})
    endif()
  endforeach()
  foreach(labtxt IN LISTS labtxts)
    get_filename_component(lab ${labtxt} DIRECTORY)
    # This target built everything already, and the build test must not
    # run ninja inside the ninja that runs it. A hung test fails after
    # RVOS_HANG_SECONDS (cmake/run-guest.sh), not after its own limit.
    add_custom_target(grade-${lab}
      COMMAND ${CMAKE_COMMAND} -E env RVOS_SKIP_BUILD_TEST=1 RVOS_HANG_SECONDS=${RVOS_GRADE_HANG_SECONDS}
              ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/grade.py ${lab}
              --source ${CMAKE_SOURCE_DIR} --build ${CMAKE_BINARY_DIR} --ctest ${CMAKE_CTEST_COMMAND}
      DEPENDS ${deps} USES_TERMINAL
      COMMENT "Grading lab ${lab}")
    add_custom_target(handout-${lab}
      COMMAND ${CMAKE_COMMAND} -E rm -rf ${CMAKE_BINARY_DIR}/handout-${lab}
              ${CMAKE_BINARY_DIR}/handout-${lab}.solution.patch
      COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/handout.py ${lab} ${CMAKE_BINARY_DIR}/handout-${lab}
              --source ${CMAKE_SOURCE_DIR}
      USES_TERMINAL
      COMMENT "Writing the student tree of lab ${lab} to ${CMAKE_BINARY_DIR}/handout-${lab}")
  endforeach()
  # The hand-in of a student tree (build/handin-<lab>.tar.gz) and the staff
  # commands: the term handout and the term's git repository.
  add_custom_target(handin
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/handin.py --source ${CMAKE_SOURCE_DIR}
            --build ${CMAKE_BINARY_DIR} --fallback ${RVOS_LAB}
    USES_TERMINAL
    COMMENT "Handing in this tree's lab (its git branch; else RVOS_LAB) as ${CMAKE_BINARY_DIR}/handin-LAB.tar.gz")
  add_custom_target(handout-term
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${CMAKE_BINARY_DIR}/handout-term
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/handout.py term ${CMAKE_BINARY_DIR}/handout-term
            --source ${CMAKE_SOURCE_DIR}
    USES_TERMINAL
    COMMENT "Writing the term handout (every lab's solutions cut) to ${CMAKE_BINARY_DIR}/handout-term")
  add_custom_target(term-repo
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/term_repo.py ${CMAKE_BINARY_DIR}/term-repo
            --source ${CMAKE_SOURCE_DIR}
    USES_TERMINAL
    COMMENT "Writing (or updating) the term's student repository ${CMAKE_BINARY_DIR}/term-repo")
  add_custom_target(grade
    COMMAND ${CMAKE_COMMAND} -E env RVOS_SKIP_BUILD_TEST=1 RVOS_HANG_SECONDS=${RVOS_GRADE_HANG_SECONDS}
            ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/scripts/grade.py ${RVOS_LAB}
            --source ${CMAKE_SOURCE_DIR} --build ${CMAKE_BINARY_DIR} --ctest ${CMAKE_CTEST_COMMAND}
    DEPENDS ${deps} USES_TERMINAL
    COMMENT "Grading lab ${RVOS_LAB} (RVOS_LAB)")
endfunction()
