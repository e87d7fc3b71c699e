#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A fixture of scripts/lint-tests, never run: '! CMD' under -e where it
# cannot fail the script (each such line carries an "expect" comment naming
# the rule), and beside it the forms that can.
set -eu

! grep -q x /etc/hostname # expect: bang
if ! grep -q x /etc/hostname; then echo "no x"; fi
! grep -q x /etc/hostname || echo "an x"
while ! [ -e /tmp/ready ]; do sleep 0.1; done
{
	! grep -q y /etc/hostname # expect: bang
	echo
}

# A function's last command is its status, which fails the caller.
no_z() {
	! grep -q z /etc/hostname
}
no_z_then_echo() {
	! grep -q z /etc/hostname # expect: bang
	echo
}

# In the guest: the argument of sh -ec, behind scripts/vm.
vm -- sh -ec '
	credctl export platform1 >/tmp/export
	! grep -q PRIVATE /tmp/export # expect: bang
	credctl list'
vm -- sh -e -c "! credctl remove builtin; credctl status" # expect: bang
vm -- sh -ec '
	credctl list
	! credctl remove builtin'

# A helper that splices its argument into an sh -ec script.
g() {
	vm --flash "$flash" -- sh -ec "cd /c; $1"
}
tap_ok "export leaks no key" g "
	! credctl export platform1 | grep -q PRIVATE # expect: bang
	credctl list"

# A here-document run with sh -e.
cat >"$tmp/check.sh" <<'EOF' # sh -e
! su user -c 'credctl remove platform1' # expect: bang
credctl list
EOF
# Unmarked, but a script file (*.sh) in a file that runs scripts with sh -e.
cat >"$tmp/other.sh" <<'EOF'
! true # expect: bang
echo
EOF
# Not a script: not checked.
cat >"$tmp/notes.txt" <<'EOF'
! true
echo
EOF
! grep -q x /etc/hostname
