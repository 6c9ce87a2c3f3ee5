#!/bin/sh
# Run one unit test under valgrind for make check-valgrind; any error or
# definite leak fails it.
exec valgrind -q --error-exitcode=126 --leak-check=full \
    --suppressions="$(dirname "$0")/valgrind.supp" \
    --errors-for-leak-kinds=definite "$@"
