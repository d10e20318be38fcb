#!/bin/sh
# The `gantry` command as installed: starts the bundled CLI, main.js beside
# this file, with the `node` on PATH.
#
# Node.js 20 reads and parses every certificate in the file that
# NODE_EXTRA_CA_CERTS names before it runs any script. For Debian's bundle of
# 144 certificates that measured 47 ms on 2 cores, more than half of a fully
# cached `gantry build`. gantry needs those certificates only when ADD
# downloads an https URL. So this script starts Node.js without the variable
# and hands the path on as GANTRY_NODE_EXTRA_CA_CERTS. gantry reads the file
# when such a download starts.

self=$0
case $self in
*/*) ;;
*) self=./$self ;;
esac
# npm installs the command as a symbolic link to this file.
while [ -h "$self" ]; do
  target=$(readlink -- "$self")
  case $target in
  /*) self=$target ;;
  *) self=${self%/*}/$target ;;
  esac
done

if [ -n "${NODE_EXTRA_CA_CERTS-}" ]; then
  GANTRY_NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS
  export GANTRY_NODE_EXTRA_CA_CERTS
  unset NODE_EXTRA_CA_CERTS
fi

main=${self%/*}/main.js
if [ ! -f "$main" ]; then
  # 127 is the shell's code for a command that cannot be found.
  echo "gantry: $main not found; gantry runs the main.js beside this script, so link the script (ln -s) instead of copying it, or reinstall @gantry/cli" >&2
  exit 127
fi

exec node "$main" "$@"
