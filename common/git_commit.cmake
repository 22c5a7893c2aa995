# Writes OUT, a C++ file defining rlarena::git_commit(): the sources' git commit, with
# "-dirty" when tracked files differ from it. The build runs this script every time, so
# the commit is that of the build, not of the last configure; OUT is rewritten only when
# the text changes, so an unchanged commit recompiles nothing.
#   cmake -DSOURCE_DIR=DIR -DOUT=FILE -P git_commit.cmake
execute_process(COMMAND git rev-parse --short HEAD WORKING_DIRECTORY "${SOURCE_DIR}"
  OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE failed)
if(failed OR NOT commit)
  set(commit "unknown")  # a source tarball, or no git on the machine
else()
  execute_process(COMMAND git diff --quiet HEAD -- WORKING_DIRECTORY "${SOURCE_DIR}" RESULT_VARIABLE dirty ERROR_QUIET)
  if(dirty EQUAL 1)
    string(APPEND commit "-dirty")
  endif()
endif()
set(text "// Written by common/git_commit.cmake at build time.\n#include \"common/version.h\"\nconst char* rlarena::git_commit() { return \"${commit}\"; }\n")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
