# Mini-container in C, one namespace at a time. See README.md.
#
#   make              build common/libcommon.a and every stepNN-*/container
#   make rootfs       build ./rootfs from the distribution's static busybox
#   make test         unit tests (check) and every bats suite
#   make demo         a narrated tour of every step
#   make bench        time every step against unshare, bwrap and crun (BENCH.md)
#   make soak         500 sequential and 50 concurrent runs of step 8, then a
#                     search for leftovers (SOAK.md); SOAK_RUNS=N and
#                     SOAK_CONCURRENT=M change the counts
#   make deps         install what is missing (Debian/Ubuntu)
#   make preflight    is this machine ready for the workshop? One row per
#                     requirement, ✓ or ✗ and its fix; no root needed
#   make diff STEP=N  the lesson of step N: its diff from step N-1
#   make format       reformat common/ and every step as .clang-format says
#   make exercise STEP=N  a workshop skeleton of step N, in exercises/
#   make grade STEP=N     build it and run step N's tests on it (SOLUTION=1:
#                     the reference step); make test-exercises grades all
#   make tutorial     regenerate the diffs and code shown in TUTORIAL.md
#   make refresh-solutions  rewrite solutions/*/*.patch against today's steps
#   make clean
#
# Switches: WERROR=1 turns warnings into errors; SAN=1 builds with the
# address and undefined-behaviour sanitizers; STATIC=0 links dynamically.

CC ?= cc
CFLAGS ?= -O2 -g
WARNINGS := -Wall -Wextra -Wshadow -Wformat=2 -Wpointer-arith \
	    -Wstrict-prototypes -Wmissing-prototypes -Wundef -Wvla \
	    -Wno-unused-parameter
ifeq ($(WERROR),1)
WARNINGS += -Werror
endif
ifeq ($(SAN),1)
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer \
	    -fno-sanitize-recover=all
endif
ALL_CFLAGS = $(CFLAGS) $(WARNINGS) $(SANITIZE) -I.
ALL_LDFLAGS = $(LDFLAGS) $(SANITIZE)

# The steps are linked statically where the static libraries are installed
# (Debian's libc6-dev and libnl-route-3-dev have them; other distributions
# may not, and link dynamically): no dynamic loader runs at start-up and
# the runtime needs half the memory (BENCH.md). SAN=1 and STATIC=0 link
# dynamically. scripts/link-static drops one warning of glibc's from the
# static link, about libnl's getaddrinfo(), which the steps never call.
ifeq ($(SAN),1)
override STATIC := 0
endif
ifndef STATIC
STATIC := $(shell echo 'int main(void) { return 0; }' | \
	    $(CC) -x c - -static -o /dev/null \
	    $$(pkg-config --libs --static libnl-route-3.0 2>/dev/null) \
	    >/dev/null 2>&1 && echo 1 || echo 0)
endif
ifeq ($(STATIC),1)
STEP_LDFLAGS := -static
LINK := scripts/link-static
endif

STEPS := $(sort $(patsubst %/container.c,%,$(wildcard step[0-9][0-9]-*/container.c)))
BINS := $(STEPS:%=%/container)

LIB := common/libcommon.a
LIB_SRC := $(sort $(wildcard common/*.c))
LIB_OBJ := $(LIB_SRC:.c=.o)
LIB_HDR := $(wildcard common/*.h)

UNIT_SRC := $(sort $(wildcard tests/unit/check_*.c))
UNIT_BINS := $(UNIT_SRC:.c=)

PROBE := tests/probe/probe
# ./rootfs holding today's probe: what runs containers depends on it (see
# the rootfs rules below). Defined here, before the rules that use it.
ROOTFS_READY := rootfs/bin/probe

# Under sudo (sudo make test, sudo make demo), what the build made goes
# back to the user who ran sudo, so that their own make can rebuild it
# later. ./rootfs stays root's: step 4 of TUTORIAL.md shows why.
BUILT = $(LIB) $(LIB_OBJ) $(BINS) $(UNIT_BINS) $(PROBE) $(FLAGS_STAMP) \
	$(SOLUTION_PATCHES:.patch=) tests/dynamic
GIVE_BACK = @if [ "$$(id -u)" -eq 0 ] && [ -n "$${SUDO_UID:-}" ]; then \
	for f in $(BUILT); do [ ! -e "$$f" ] || chown -R "$$SUDO_UID:$$SUDO_GID" "$$f"; done; fi

# A change of flags (SAN=1, WERROR=1, CFLAGS=...) rebuilds everything.
FLAGS_STAMP := .build-flags
FLAGS_NOW := $(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $(STEP_LDFLAGS)

.PHONY: all test check unit bats rootfs deps deps-check preflight demo bench soak diff tutorial clean FORCE

all: $(LIB) $(BINS)
	$(GIVE_BACK)

$(FLAGS_STAMP): FORCE
	@if [ "$$(cat $@ 2>/dev/null)" != "$(FLAGS_NOW)" ]; then \
		echo "$(FLAGS_NOW)" > $@; fi

common/%.o: common/%.c $(LIB_HDR) $(FLAGS_STAMP)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	$(AR) rcs $@ $^

# One rule for every step: stepNN-NAME/container from its container.c.
$(BINS): %/container: %/container.c $(LIB) $(LIB_HDR) $(FLAGS_STAMP)
	$(LINK) $(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS) $(STEP_LDFLAGS) $(LIB) $(LDLIBS)

# valgrind's memcheck cannot see malloc() in a static binary: its tests
# (tests/bats/memcheck.bats) run the same code linked dynamically.
DYN_BINS := $(STEPS:%=tests/dynamic/%/container)
$(DYN_BINS): tests/dynamic/%/container: %/container.c $(LIB) $(LIB_HDR) $(FLAGS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS) $(LIB) $(LDLIBS)

# From step 5 on, the steps (and their dynamic builds) talk netlink
# through libnl-route-3.
BEFORE_NET := step01-% step02-% step03-% step04-%
NET_BINS := $(filter-out $(BEFORE_NET:%=%/container) \
	      $(BEFORE_NET:%=tests/dynamic/%/container),$(BINS) $(DYN_BINS))
$(NET_BINS): ALL_CFLAGS += $(shell pkg-config --cflags libnl-route-3.0)
$(NET_BINS): LDLIBS += $(shell pkg-config $(if $(filter 1,$(STATIC)),--static) \
	       --libs libnl-route-3.0)

# From step 10 on, they also restrict the container with libcap and
# libseccomp.
SECURE_BINS := $(filter step1%/container tests/dynamic/step1%/container,$(BINS) $(DYN_BINS))
$(SECURE_BINS): LDLIBS += $(shell pkg-config $(if $(filter 1,$(STATIC)),--static) \
	       --libs libcap libseccomp)
tests/unit/check_caps: CHECK_LIBS += $(shell pkg-config --libs libcap)

# common/netlink.c speaks netlink through libnl too; the steps before 5
# never pull it out of the library, and so need no libnl to link.
common/netlink.o: ALL_CFLAGS += $(shell pkg-config --cflags libnl-route-3.0)
tests/unit/check_netlink: ALL_CFLAGS += $(shell pkg-config --cflags libnl-route-3.0)
tests/unit/check_netlink: CHECK_LIBS += $(shell pkg-config --libs libnl-route-3.0)

# --- exercise solutions ------------------------------------------------------

# The libraries a solution or a skeleton may need, whatever its step.
LESSON_LIBS := libnl-route-3.0 libcap libseccomp

# solutions/stepNN-NAME/EXERCISE.patch is the solution of an exercise of
# TUTORIAL.md: a patch to stepNN-NAME/container.c. It is built into
# solutions/stepNN-NAME/EXERCISE/container, and tests/bats/solutions.bats
# checks it does what the exercise asks.
SOLUTION_PATCHES := $(sort $(wildcard solutions/step[0-9][0-9]-*/*.patch))
SOLUTION_BINS := $(SOLUTION_PATCHES:.patch=/container)

.SECONDEXPANSION:
$(SOLUTION_BINS): solutions/%/container: solutions/%.patch $$(dir $$*)container.c \
		$(LIB) $(LIB_HDR) $(FLAGS_STAMP)
	@mkdir -p $(@D)
	patch --quiet --force -o $(@D)/container.c $(dir $*)container.c $<
	$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags libnl-route-3.0) -o $@ \
		$(@D)/container.c $(ALL_LDFLAGS) $(LIB) $(shell pkg-config --libs $(LESSON_LIBS))

.PHONY: solutions refresh-solutions
solutions: $(SOLUTION_BINS)
	$(GIVE_BACK)

# After a change to a step, its solutions' patches again against it.
refresh-solutions:
	@scripts/refresh-solutions
	$(GIVE_BACK)

# --- the workshop: skeletons and grading -----------------------------------

# make exercise STEP=N writes exercises/stepNN-NAME/container.c, step N with
# its lesson cut out (scripts/exercise); make grade STEP=N builds it and
# runs the tests of step N's groups and the earlier ones against it
# (scripts/grade); SOLUTION=1 grades the reference step instead. A hole
# leaves its helpers unused: no warning for that.
exercises/%/container: exercises/%/container.c $(LIB) $(LIB_HDR) $(FLAGS_STAMP)
	$(CC) $(ALL_CFLAGS) -Wno-unused-function $(shell pkg-config --cflags libnl-route-3.0) \
		-o $@ $< $(ALL_LDFLAGS) $(LIB) $(shell pkg-config --libs $(LESSON_LIBS))

.PHONY: exercise grade
exercise:
	@scripts/exercise "$(STEP)"

grade:
	@scripts/grade "$(STEP)"

# Every step's skeleton and reference graded (minutes; CI runs it).
.PHONY: test-exercises
test-exercises: all $(ROOTFS_READY)
	@GRADE_ALL=1 GROUPS_ONLY=exercises tests/run-bats

# --- tests -----------------------------------------------------------------

CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

$(UNIT_BINS): tests/unit/%: tests/unit/%.c $(LIB) $(LIB_HDR) $(FLAGS_STAMP)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -o $@ $< $(ALL_LDFLAGS) $(LIB) $(CHECK_LIBS)

# The probe lives in the rootfs, so it is static and never sanitized.
$(PROBE): tests/probe/probe.c
	$(CC) $(CFLAGS) $(WARNINGS) -static -o $@ $<

# Its time at the end: SPEC §6's budget is 3 minutes on 2 cores.
test check: deps-check format-check all $(DYN_BINS) $(UNIT_BINS) $(ROOTFS_READY) solutions
	$(GIVE_BACK)
	@start=$$(date +%s); status=0; \
	tests/run-unit $(UNIT_BINS) || status=$$?; \
	tests/run-bats || status=$$?; \
	echo "make test: $$(($$(date +%s) - start)) s for the unit and bats suites (budget: 180 s on 2 cores)"; \
	exit $$status

unit: $(UNIT_BINS)
	$(GIVE_BACK)
	@tests/run-unit $(UNIT_BINS)

bats: all $(DYN_BINS) $(ROOTFS_READY) solutions
	$(GIVE_BACK)
	@tests/run-bats

# The cgroup tests again, in a throwaway VM with pure cgroup v2 (as root;
# skipped where no VM can run). See tests/vm/README.md.
.PHONY: test-cgroup2
test-cgroup2: all $(ROOTFS_READY)
	@tests/vm/run-cgroup2

# --- the project's own targets ---------------------------------------------

# Kernel style, as .clang-format says: `make format` applies it to common/
# and every step; make test fails (format-check) on code that differs.
FORMAT_SRC := $(sort $(wildcard common/*.c common/*.h)) $(STEPS:%=%/container.c)
.PHONY: format format-check
format:
	clang-format -i $(FORMAT_SRC)

format-check:
	@clang-format --dry-run --Werror $(FORMAT_SRC) && \
		echo "format: $(words $(FORMAT_SRC)) files as .clang-format says"

rootfs: $(PROBE)
	$(GIVE_BACK)
	@scripts/mkrootfs rootfs $(PROBE)

# What runs containers depends on this file rather than on `rootfs`, which
# always builds anew: a rootfs that is there and holds today's probe is
# not swapped away under the containers of a test run (tests/bats runs
# make demo and make bench while other jobs use ./rootfs).
$(ROOTFS_READY): $(PROBE)
	@scripts/mkrootfs rootfs $(PROBE)
	$(GIVE_BACK)

deps:
	@scripts/deps install

deps-check:
	@scripts/deps ensure

# What a workshop attendee runs first: the kernel, user namespaces, subuid
# ranges, cgroups and the tools, each with its fix; fails only on what a
# run as root needs (scripts/preflight says which rows those are).
preflight:
	@scripts/preflight

demo: deps-check all $(ROOTFS_READY)
	@scripts/demo

# SPEC §6's budgets, measured (as root): writes BENCH.md. make test runs
# it at a few runs per command, its report kept apart (tests/bats/bench.bats).
bench: deps-check all $(ROOTFS_READY)
	@scripts/bench

# Issue 10's soak (as root): many runs of the full step 8 with limits and
# network, then a search for leftovers; writes SOAK.md. make test runs it
# at small counts (tests/bats/soak.bats).
soak: deps-check all $(ROOTFS_READY)
	@scripts/soak

diff:
	@scripts/stepdiff $(STEP)

# Regenerate the diffs and code excerpts shown in TUTORIAL.md.
tutorial:
	@scripts/tutorial update

clean:
	rm -f $(LIB) $(LIB_OBJ) $(BINS) $(UNIT_BINS) $(PROBE) $(FLAGS_STAMP)
	rm -rf rootfs tests/dynamic $(SOLUTION_PATCHES:.patch=)
	rm -f exercises/*/container
