# SPDX-License-Identifier: GPL-2.0
#
# What the provider takes of daemon/common/: the protocol, the names, the
# connect. One list, included by daemon/Makefile (host build), the top
# Makefile (the board's devcred.so) and fuzz/Makefile (provider_fuzz), so
# that a file added here reaches all three.
PROVIDER_COMMON_FILES := proto.c frame.c io.c names.c keyref.c connect.c
