# Mini-container in C, one namespace at a time. See README.md.
#
#   make              build common/libcommon.a and every stepNN-*/container
#   make rootfs       build ./rootfs from the distribution's static busybox
#   make test         unit tests (check) and every bats suite
#   make demo         a narrated tour of every step
#   make bench        time every step against unshare, bwrap and crun (BENCH.md)
#   make deps         install what is missing (Debian/Ubuntu)
#   make diff STEP=N  the lesson of step N: its diff from step N-1
#   make tutorial     regenerate the diffs and code shown in TUTORIAL.md
#   make clean
#
# Switches: WERROR=1 turns warnings into errors; SAN=1 builds with the
# address and undefined-behaviour sanitizers.

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

STEPS := $(sort $(patsubst %/container.c,%,$(wildcard step[0-9][0-9]-*/container.c)))
BINS := $(STEPS:%=%/container)

LIB := common/libcommon.a
LIB_SRC := $(sort $(wildcard common/*.c))
LIB_OBJ := $(LIB_SRC:.c=.o)
LIB_HDR := $(wildcard common/*.h)

UNIT_SRC := $(sort $(wildcard tests/unit/check_*.c))
UNIT_BINS := $(UNIT_SRC:.c=)

PROBE := tests/probe/probe

# Under sudo (sudo make test, sudo make demo), what the build made goes
# back to the user who ran sudo, so that their own make can rebuild it
# later. ./rootfs stays root's: step 4 of TUTORIAL.md shows why.
BUILT = $(LIB) $(LIB_OBJ) $(BINS) $(UNIT_BINS) $(PROBE) $(FLAGS_STAMP) \
	$(SOLUTION_PATCHES:.patch=)
GIVE_BACK = @if [ "$$(id -u)" -eq 0 ] && [ -n "$${SUDO_UID:-}" ]; then \
	for f in $(BUILT); do [ ! -e "$$f" ] || chown -R "$$SUDO_UID:$$SUDO_GID" "$$f"; done; fi

# A change of flags (SAN=1, WERROR=1, CFLAGS=...) rebuilds everything.
FLAGS_STAMP := .build-flags
FLAGS_NOW := $(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)

.PHONY: all test check unit bats rootfs deps deps-check demo bench diff tutorial clean FORCE

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
	$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS) $(LIB) $(LDLIBS)

# From step 5 on, the steps talk netlink through libnl-route-3.
NET_BINS := $(filter-out step01-%/container step02-%/container \
	      step03-%/container step04-%/container,$(BINS))
$(NET_BINS): ALL_CFLAGS += $(shell pkg-config --cflags libnl-route-3.0)
$(NET_BINS): LDLIBS += $(shell pkg-config --libs libnl-route-3.0)

# --- exercise solutions ------------------------------------------------------

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
		$(@D)/container.c $(ALL_LDFLAGS) $(LIB) $(shell pkg-config --libs libnl-route-3.0)

.PHONY: solutions
solutions: $(SOLUTION_BINS)
	$(GIVE_BACK)

# --- tests -----------------------------------------------------------------

CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

$(UNIT_BINS): tests/unit/%: tests/unit/%.c $(LIB) $(LIB_HDR) $(FLAGS_STAMP)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -o $@ $< $(ALL_LDFLAGS) $(LIB) $(CHECK_LIBS)

# The probe lives in the rootfs, so it is static and never sanitized.
$(PROBE): tests/probe/probe.c
	$(CC) $(CFLAGS) $(WARNINGS) -static -o $@ $<

test check: deps-check all $(UNIT_BINS) rootfs solutions
	$(GIVE_BACK)
	@tests/run-unit $(UNIT_BINS)
	@tests/run-bats

unit: $(UNIT_BINS)
	$(GIVE_BACK)
	@tests/run-unit $(UNIT_BINS)

bats: all rootfs solutions
	@tests/run-bats

# The cgroup tests again, in a throwaway VM with pure cgroup v2 (as root;
# skipped where no VM can run). See tests/vm/README.md.
.PHONY: test-cgroup2
test-cgroup2: all rootfs
	@tests/vm/run-cgroup2

# --- the project's own targets ---------------------------------------------

rootfs: $(PROBE)
	$(GIVE_BACK)
	@scripts/mkrootfs rootfs $(PROBE)

deps:
	@scripts/deps install

deps-check:
	@scripts/deps ensure

demo: deps-check all rootfs
	@scripts/demo

# SPEC §6's budgets, measured (as root): writes BENCH.md.
bench: deps-check all rootfs
	@scripts/bench

diff:
	@scripts/stepdiff $(STEP)

# Regenerate the diffs and code excerpts shown in TUTORIAL.md.
tutorial:
	@scripts/tutorial update

clean:
	rm -f $(LIB) $(LIB_OBJ) $(BINS) $(UNIT_BINS) $(PROBE) $(FLAGS_STAMP)
	rm -rf rootfs $(SOLUTION_PATCHES:.patch=)
