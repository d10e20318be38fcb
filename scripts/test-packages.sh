#!/usr/bin/env bash
# Installs the Debian packages that the tests drive besides the engine: tmux
# (the live terminal view is read from a real terminal), openssl (certificates
# for the TLS engine tests), openssh-server (an SSH engine on loopback) and
# chromium (the server's page is tested in headless Chromium).
# Packages that are present are skipped. openssh-server is installed without
# starting the system's SSH service: the tests start their own sshd on
# 127.0.0.1.
set -euo pipefail

missing=()
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[[ -x /usr/sbin/sshd ]] || missing+=(openssh-server)
command -v curl >/dev/null 2>&1 || missing+=(curl)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
((${#missing[@]} == 0)) && exit 0

if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  echo "test-packages.sh: missing ${missing[*]}; install them (Debian: apt-get install ${missing[*]})" >&2
  exit 1
fi

echo "test-packages.sh: installing ${missing[*]}"
policy=/usr/sbin/policy-rc.d
placed_policy=0
if [[ ! -e $policy ]]; then
  # Exit code 101 makes Debian's maintainer scripts skip starting services.
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  placed_policy=1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
((placed_policy == 0)) || rm -f "$policy"
