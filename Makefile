# SPDX-License-Identifier: GPL-2.0
#
# make            module (against KDIR) and CLI
# make check      host unit tests + every kernel of the matrix under QEMU
#                 (KERNELS="6.1 7.3" for a subset)
# make check-debug  the guest tests on a debug 6.1 kernel (KASAN, lockdep,
#                 kmemleak, KFENCE, DEBUG_OBJECTS; scripts/debug-kernel.sh
#                 builds it once, ~30 min, into SOCKTAP_CACHE), then a
#                 kmemleak scan after the last rmmod (tests/debug.sh)
# make torture    the load/unload torture alone, 100 cycles per kernel
#                 (KERNELS=..., TORTURE_CYCLES=N)
# make lint       sparse + checkpatch on module/
# make demo       boot a Debian kernel, load socktap, make traffic, show it
# make bench      overhead (vs bpftrace) and memory under QEMU -icount
#                 (KERNEL=6.1 by default): tables in build/bench/KERNEL.md

VERSION := $(shell cat VERSION)
KDIR ?= /lib/modules/$(shell uname -r)/build
KERNELS ?= 5.10 6.1 6.12 6.12-rt 7.3

PKG_CONFIG ?= pkg-config
NL_CFLAGS := $(shell $(PKG_CONFIG) --cflags libnl-genl-3.0 2>/dev/null)
NL_LIBS := $(shell $(PKG_CONFIG) --libs libnl-genl-3.0 2>/dev/null)
DW_CFLAGS := $(shell $(PKG_CONFIG) --cflags libdw 2>/dev/null)
DW_LIBS := $(shell $(PKG_CONFIG) --libs libdw 2>/dev/null)
DW_MISSING := libdw not found: apt-get install libdw-dev libelf-dev (or scripts/deps.sh)

CFLAGS ?= -O2 -g
CLI_CFLAGS := $(CFLAGS) -std=gnu11 -Wall -Wextra -Wformat=2 -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter \
	-D_GNU_SOURCE -DSOCKTAP_VERSION='"$(VERSION)"' -Iinclude/uapi $(NL_CFLAGS) \
	$(DW_CFLAGS)

CLI_SRCS := userspace/main.c userspace/nl.c userspace/json.c \
	userspace/util.c userspace/probes.c userspace/cmd_status.c \
	userspace/cmd_probe.c userspace/fmt.c userspace/hist.c \
	userspace/proc.c userspace/event.c userspace/loop.c \
	userspace/status.c userspace/cmd_top.c userspace/cmd_hist.c \
	userspace/cmd_watch.c userspace/cmd_filter.c userspace/tcpstat.c \
	userspace/cmd_tcp.c userspace/cmd_backlog.c userspace/ksym.c \
	userspace/dropreason.c userspace/drop.c userspace/kfunc.c \
	userspace/funcnl.c userspace/count.c userspace/cmd_funcs.c \
	userspace/cmd_count.c userspace/usym.c userspace/stack.c \
	userspace/cmd_stacks.c userspace/sizehist.c userspace/fetch.c \
	userspace/prom.c userspace/cmd_metrics.c
CLI_HDRS := $(wildcard userspace/*.h) include/uapi/linux/socktap.h
UNIT_TESTS := tests/unit/test_json tests/unit/test_util tests/unit/test_fmt \
	tests/unit/test_hist tests/unit/test_proc tests/unit/test_tcp \
	tests/unit/test_drop tests/unit/test_kfunc tests/unit/test_stack \
	tests/unit/test_usym tests/unit/test_prom tests/unit/test_status \
	tests/unit/test_nlrecv

.PHONY: all module cli unit check check-debug torture lint demo deps clean bench

all: module cli

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

cli: userspace/socktap

userspace/socktap: $(CLI_SRCS) $(CLI_HDRS) VERSION
	@$(PKG_CONFIG) --exists libnl-genl-3.0 || \
		{ echo "libnl-genl-3.0 not found: apt-get install libnl-genl-3-dev (or scripts/deps.sh)"; exit 1; }
	@$(PKG_CONFIG) --exists libdw || { echo "$(DW_MISSING)"; exit 1; }
	$(CC) $(CLI_CFLAGS) -o $@ $(CLI_SRCS) $(LDFLAGS) $(NL_LIBS) $(DW_LIBS)

tests/unit/test_json: tests/unit/test_json.c userspace/json.c userspace/json.h tests/unit/unit.h
	$(CC) $(CLI_CFLAGS) -Iuserspace -o $@ tests/unit/test_json.c userspace/json.c

tests/unit/test_util: tests/unit/test_util.c userspace/util.c userspace/util.h tests/unit/unit.h
	$(CC) $(CLI_CFLAGS) -Iuserspace -o $@ tests/unit/test_util.c userspace/util.c

tests/unit/test_fmt: tests/unit/test_fmt.c userspace/fmt.c userspace/fmt.h \
		userspace/event.c userspace/event.h userspace/json.c \
		userspace/util.c tests/unit/unit.h
	$(CC) $(CLI_CFLAGS) -Iuserspace -o $@ tests/unit/test_fmt.c userspace/fmt.c \
		userspace/event.c userspace/json.c userspace/util.c

tests/unit/test_hist: tests/unit/test_hist.c userspace/hist.c userspace/hist.h \
		userspace/sizehist.c userspace/sizehist.h userspace/json.c \
		tests/unit/unit.h
	$(CC) $(CLI_CFLAGS) -Iuserspace -o $@ tests/unit/test_hist.c userspace/hist.c \
		userspace/sizehist.c userspace/json.c

tests/unit/test_proc: tests/unit/test_proc.c userspace/proc.c userspace/proc.h \
		tests/unit/unit.h
	$(CC) $(CLI_CFLAGS) -Iuserspace -o $@ tests/unit/test_proc.c userspace/proc.c

tests/unit/test_tcp: tests/unit/test_tcp.c userspace/tcpstat.c userspace/tcpstat.h \
		userspace/event.c userspace/event.h userspace/hist.c userspace/hist.h \
		userspace/fmt.c userspace/fmt.h userspace/json.c userspace/util.c \
		tests/unit/unit.h tests/unit/render.h
	$(CC) $(CLI_CFLAGS) -Iuserspace -o $@ tests/unit/test_tcp.c userspace/tcpstat.c \
		userspace/event.c userspace/hist.c userspace/fmt.c userspace/json.c \
		userspace/util.c

tests/unit/test_drop: tests/unit/test_drop.c userspace/ksym.c userspace/ksym.h \
		userspace/dropreason.c userspace/dropreason.h userspace/drop.c \
		userspace/drop.h userspace/event.c userspace/event.h \
		userspace/fmt.c userspace/fmt.h userspace/json.c userspace/util.c \
		tests/unit/unit.h tests/unit/render.h
	$(CC) $(CLI_CFLAGS) -Iuserspace -o $@ tests/unit/test_drop.c userspace/ksym.c \
		userspace/dropreason.c userspace/drop.c userspace/event.c \
		userspace/fmt.c userspace/json.c userspace/util.c

tests/bench/loadgen: tests/bench/loadgen.c
	$(CC) $(CFLAGS) -std=gnu11 -Wall -Wextra -Wshadow -Wformat=2 -O2 -pthread \
		-o $@ $< $(LDFLAGS)

# make bench's socket lifecycle generator (tests/bench/micro.sh).
tests/bench/lifegen: tests/bench/lifegen.c
	$(CC) $(CFLAGS) -std=gnu11 -Wall -Wextra -Wshadow -Wformat=2 -O2 \
		-o $@ $< $(LDFLAGS)

tests/unit/test_kfunc: tests/unit/test_kfunc.c userspace/kfunc.c userspace/kfunc.h \
		userspace/ksym.c userspace/ksym.h userspace/count.c userspace/count.h \
		userspace/json.c userspace/util.c tests/unit/unit.h tests/unit/render.h
	$(CC) $(CLI_CFLAGS) -Iuserspace -o $@ tests/unit/test_kfunc.c userspace/kfunc.c \
		userspace/ksym.c userspace/count.c userspace/json.c userspace/util.c

tests/unit/test_stack: tests/unit/test_stack.c userspace/stack.c userspace/stack.h \
		userspace/usym.h userspace/json.c tests/unit/unit.h tests/unit/render.h
	$(CC) $(CLI_CFLAGS) -Iuserspace -o $@ tests/unit/test_stack.c userspace/stack.c \
		userspace/json.c

tests/unit/test_usym: tests/unit/test_usym.c userspace/usym.c userspace/usym.h \
		tests/unit/unit.h
	@$(PKG_CONFIG) --exists libdw || { echo "$(DW_MISSING)"; exit 1; }
	$(CC) $(CLI_CFLAGS) -Iuserspace -o $@ tests/unit/test_usym.c userspace/usym.c \
		$(DW_LIBS)

tests/unit/test_prom: tests/unit/test_prom.c userspace/prom.c userspace/prom.h \
		tests/unit/unit.h
	$(CC) $(CLI_CFLAGS) -Iuserspace -o $@ tests/unit/test_prom.c userspace/prom.c

tests/unit/test_nlrecv: tests/unit/test_nlrecv.c userspace/nl.c userspace/nl.h \
		userspace/util.c tests/unit/unit.h
	$(CC) $(CLI_CFLAGS) -Iuserspace -o $@ tests/unit/test_nlrecv.c userspace/nl.c \
		userspace/util.c $(LDFLAGS) $(NL_LIBS)

tests/unit/test_status: tests/unit/test_status.c userspace/status.c userspace/status.h \
		userspace/nl.c userspace/nl.h userspace/prom.c userspace/prom.h \
		userspace/fmt.c userspace/util.c tests/unit/unit.h
	$(CC) $(CLI_CFLAGS) -Iuserspace -o $@ tests/unit/test_status.c userspace/status.c \
		userspace/nl.c userspace/prom.c userspace/fmt.c userspace/util.c \
		$(LDFLAGS) $(NL_LIBS)

# A CLI that speaks another netlink version: the guest tests check that it
# refuses the module with a clear message.
tests/guest/socktap-v99: $(CLI_SRCS) $(CLI_HDRS) VERSION
	$(CC) $(CLI_CFLAGS) -DST_CLI_GENL_VERSION=99 -o $@ $(CLI_SRCS) $(LDFLAGS) \
		$(NL_LIBS) $(DW_LIBS)

# The guest tests' process with a known user stack (frame pointers, symbols).
tests/guest/ustack: tests/guest/ustack.c
	$(CC) -O1 -g -fno-omit-frame-pointer -std=gnu11 -Wall -Wextra -Wshadow \
		-Wformat=2 -o $@ $< $(LDFLAGS)

# The guest tests' netlink and debugfs fuzzer (raw netlink sockets, no libnl).
tests/guest/nlfuzz: tests/guest/nlfuzz.c include/uapi/linux/socktap.h
	$(CC) -O2 -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wformat=2 -D_GNU_SOURCE \
		-Iinclude/uapi -o $@ $< $(LDFLAGS)

unit: $(UNIT_TESTS)
	@for t in $(UNIT_TESTS); do ./$$t || exit 1; done

# deps first: on a fresh machine libnl and the rest arrive here, and the
# sub-make sees them (pkg-config is evaluated when a make starts).
check: deps
	$(MAKE) cli $(UNIT_TESTS) tests/guest/ustack tests/guest/socktap-v99 tests/guest/nlfuzz
	KERNELS="$(KERNELS)" tests/run.sh

# Overhead and memory benchmarks under QEMU -icount (KERNEL=6.1 by default;
# KERNEL="6.1 7.3" for several): tables in build/bench/KERNEL.md.
bench: deps
	$(MAKE) cli tests/bench/loadgen tests/bench/lifegen
	KERNEL="$(or $(KERNEL),6.1)" scripts/bench.sh

# The load/unload torture alone, 100 cycles per kernel (KERNELS="..." for
# a subset; make check runs 5 on each).
torture: deps
	$(MAKE) cli
	SKIP_LINT=1 SKIP_DEB=1 SKIP_DKMS=1 GUEST_TESTS=torture \
		TORTURE_CYCLES=$(or $(TORTURE_CYCLES),100) VM_TIMEOUT=5400 \
		KERNELS="$(KERNELS)" tests/run.sh

check-debug: deps
	$(MAKE) cli tests/guest/ustack tests/guest/socktap-v99 tests/guest/nlfuzz
	GUEST_TESTS="$(GUEST_TESTS)" tests/debug.sh

lint:
	scripts/lint.sh

demo:
	scripts/demo.sh

deps:
	scripts/deps.sh

clean:
	rm -f userspace/socktap $(UNIT_TESTS) tests/guest/ustack tests/guest/socktap-v99 \
		tests/guest/nlfuzz tests/bench/loadgen tests/bench/lifegen
	rm -rf module/*.o module/.*.cmd .*.cmd *.o *.ko *.mod *.mod.c \
		Module.symvers modules.order .tmp_versions

# Packaging.
# make deb           Debian packages socktap-dkms and socktap in build/deb/
#                    (dpkg-buildpackage from a clean copy of the tree; lintian)
# make deb-test      as root: the README's install section followed in a
#                    fresh bookworm root (packages and source install, DKMS
#                    for a matrix kernel: KERNEL=6.1), then used and removed
# make man-check     socktap(8) and the bash completion against the CLI's -h,
#                    module/debugfs.c and the module parameters
# make dkms-install  as root: the module through DKMS for the running kernel
# make install       the CLI, socktap(8) and the bash completion under
#                    $(DESTDIR)$(PREFIX) (default /usr/local); make uninstall
.PHONY: deb deb-test man-check dkms-install install uninstall

deb:
	scripts/deb.sh

deb-test:
	scripts/deb-test.sh $(or $(KERNEL),6.1)

man-check: cli
	tests/man-check.sh

dkms-install:
	scripts/dkms.sh install

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions

install: cli
	install -D -m 0755 userspace/socktap $(DESTDIR)$(SBINDIR)/socktap
	install -D -m 0644 userspace/socktap.8 $(DESTDIR)$(MANDIR)/man8/socktap.8
	install -D -m 0644 userspace/socktap.bash-completion \
		$(DESTDIR)$(COMPLETIONDIR)/socktap

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/socktap $(DESTDIR)$(MANDIR)/man8/socktap.8 \
		$(DESTDIR)$(COMPLETIONDIR)/socktap
