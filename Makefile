# trace_tcp: one static binary with its own BPF loader.
#
#   make            build ./trace_tcp (BPF object embedded, static musl)
#   make ARCH=arm64 the same for another CPU (arm64, armhf, mipsel,
#                   mips64el), into build/ARCH/trace_tcp
#                   (scripts/install-deps.sh build arm64 installs its tools)
#   make bpfeb      only the BPF object, big-endian, for big-endian MIPS
#                   (OpenWrt's ath79), into build/bpfeb/trace_tcp.bpf.o
#   make test       unit tests (no root), then the end-to-end suites
#   make unit       unit tests only, under ASan/UBSan, then make install
#                   and the man page (tests/install/run.sh)
#   make fuzz       libFuzzer on every parser of outside input, FUZZ_SECONDS
#                   (60) each (tests/fuzz/README.md)
#   make bench      the benchmark against libbpf-tools tcptracer (root)
#   make dist       every CPU that builds here into dist/trace_tcp-VERSION-ARCH,
#                   with dist/SHA256SUMS (reproducible: tests/dist/run.sh)
#   make image      an OCI image archive of the x86_64, arm64 and armhf
#                   binaries, build/image/trace_tcp-VERSION.oci.tar
#                   (reproducible; scripts/kubernetes/, tests/image/)
#   make man        the man page, build/trace_tcp.8, from ./trace_tcp --help
#   make install    trace_tcp (stripped) and its man page into
#                   $(DESTDIR)$(PREFIX)/sbin and .../share/man/man8
#                   (PREFIX=/usr/local); make uninstall removes them
#   make clean

CLANG    ?= clang
LLVM_STRIP ?= llvm-strip
HOSTCC   ?= gcc
VERSION  := 0.1.0

# The CPU trace_tcp is built for. x86_64 builds in build/ and ./trace_tcp;
# any other CPU in build/ARCH/, with Debian's cross compiler and musl, and
# the UAPI headers of its linux-libc-dev extracted there (installing that
# package for another CPU would have to match the host's version).
ARCH     ?= x86_64
ifeq ($(ARCH),x86_64)
MUSLCC   ?= musl-gcc
STRIP    ?= strip
BUILD    := build
TRACE_TCP := trace_tcp
BPF_ARCH := x86
SIZE_LIMIT := 262144
else ifeq ($(ARCH),arm64)
MUSLCC   := aarch64-linux-musl-gcc
STRIP    := aarch64-linux-gnu-strip
TRIPLET  := aarch64-linux-gnu
BPF_ARCH := arm64
else ifeq ($(ARCH),mips64el)
MUSLCC   := mips64el-linux-musl-gcc
STRIP    := mips64el-linux-gnuabi64-strip
TRIPLET  := mips64el-linux-gnuabi64
BPF_ARCH := mips
# The n64 ABI's headers (asm/unistd.h's numbers), which clang -target bpf
# does not pick by itself as a MIPS compiler would.
BPF_ABI  := -D_MIPS_SIM=_MIPS_SIM_ABI64 -D_MIPS_SZLONG=64
else ifeq ($(ARCH),mipsel)
MUSLCC   := mipsel-linux-musl-gcc
STRIP    := mipsel-linux-gnu-strip
TRIPLET  := mipsel-linux-gnu
BPF_ARCH := mips
# The o32 ABI's headers (asm/unistd.h's numbers from 4000), and the
# 4-byte longs that tell include/cpu_regs.h a 32-bit MIPS.
BPF_ABI  := -D_MIPS_SIM=_MIPS_SIM_ABI32 -D_MIPS_SZLONG=32
else ifeq ($(ARCH),armhf)
MUSLCC   := arm-linux-musleabihf-gcc
STRIP    := arm-linux-gnueabihf-strip
TRIPLET  := arm-linux-gnueabihf
BPF_ARCH := arm
else
$(error ARCH=$(ARCH): x86_64, arm64, armhf, mipsel or mips64el)
endif
ifneq ($(ARCH),x86_64)
BUILD    := build/$(ARCH)
TRACE_TCP := $(BUILD)/trace_tcp
SIZE_LIMIT := 327680
endif
UAPI     := $(BUILD)/uapi

# The BPF side: one object holding every program of both backends.
BPF_SRC  := bpf/trace_tcp.bpf.c
BPF_OBJ  := $(BUILD)/trace_tcp.bpf.o
BPF_HDRS := $(wildcard bpf/*.h include/*.h)
BPF_COMMON := -O2 -mcpu=v1 -Wall -Werror -Iinclude -fno-stack-protector
BPF_ARCH_FLAGS := -I$(UAPI) -D__TARGET_ARCH_$(BPF_ARCH) $(BPF_ABI)
BPF_CFLAGS := $(BPF_COMMON) -target bpf $(BPF_ARCH_FLAGS)

# make bpfeb: the same sources as a big-endian object for 32-bit MIPS
# (o32), which no CPU here can load: Debian has no big-endian MIPS port.
# Every MIPS has the same UAPI headers: mips64el's serve.
BPFEB_OBJ := build/bpfeb/trace_tcp.bpf.o
BPFEB_UAPI_ARCH := mips64el
BPFEB_CFLAGS := $(BPF_COMMON) -target bpfeb \
	-Ibuild/$(BPFEB_UAPI_ARCH)/uapi -D__TARGET_ARCH_mips \
	-D_MIPS_SIM=_MIPS_SIM_ABI32 -D_MIPS_SZLONG=32
# The unit tests' big-endian twin of $(BPF_OBJ): the same flags but the
# byte order, so that both must give the same sections, symbols, maps,
# relocations and relocated programs (tests/unit/load/).
UNIT_BPFEB := $(BUILD)/unit/trace_tcp.bpfeb.o

# The user side.
# One folder per pipeline stage (see README.md, "How it works").
LOADER_SRC := $(sort $(shell find loader -name '*.c'))
LOADER_HDR := $(sort $(shell find loader -name '*.h')) $(wildcard include/*.h)
LIB_SRC    := $(filter-out loader/main.c,$(LOADER_SRC))
EMBED_SRC  := loader/load/embedded_object.S
CFLAGS   ?= -Os
WARN     := -Wall -Wextra -Wno-unused-parameter -Werror
CPPFLAGS := -Iinclude -Iloader -DTT_VERSION=\"$(VERSION)\" -DTT_CPU=\"$(ARCH)\"
# -z norelro: musl's static start-up never applies PT_GNU_RELRO (only its
# dynamic linker does), and the RELRO alignment pads arm64's 64 KiB
# pages into the file.
MUSL_FLAGS := $(CFLAGS) $(WARN) $(CPPFLAGS) -isystem $(UAPI) -static \
	-ffunction-sections -fdata-sections -Wl,--gc-sections -fno-asynchronous-unwind-tables \
	-Wl,-z,norelro

# Unit tests run on glibc with sanitizers (musl has no ASan runtime).
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# tests/unit/<stage>/test_*.c mirror loader/<stage>/; the library is
# compiled once and each test links what it uses from the archive.
UNIT_SRC := $(sort $(wildcard tests/unit/*/test_*.c))
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(UNIT_SRC))
UNIT_LIB := $(BUILD)/unit/libtt.a
UNIT_OBJ := $(patsubst loader/%.c,$(BUILD)/unit/obj/%.o,$(LIB_SRC)) \
	$(BUILD)/unit/obj/embedded_object.o $(BUILD)/unit/obj/bpfeb_object.o
UNIT_CFLAGS := -g -O1 $(WARN) $(CPPFLAGS) -Itests/unit -isystem $(UAPI) $(SAN)

# Test helpers that run inside the QEMU guest must be static too:
# tcpscen from its folder, any other tests/e2e/*.c from its one file.
TCPSCEN_SRC := $(sort $(wildcard tests/e2e/tcpscen/*.c))
TCPSCEN_HDR := $(wildcard tests/e2e/tcpscen/*.h)
E2E_SRC  := $(wildcard tests/e2e/*.c)
E2E_BIN  := $(patsubst tests/e2e/%.c,$(BUILD)/e2e/%,$(E2E_SRC)) $(BUILD)/e2e/tcpscen

# scripts/bench-floor.sh's bare dispatch, on the loader's own attach code
# (built by default, so that it never goes stale).
DISPATCH_BIN  := $(BUILD)/bench/dispatch
DISPATCH_DEPS := loader/attach/perf_event.c loader/kernel/bpf_syscall.c loader/kernel/tracefs.c \
	loader/common/err.c

.PHONY: all clean unit fuzz fuzz-build test e2e-host e2e-qemu deps bench dist \
	bpfeb man install uninstall soak image FORCE
all: $(TRACE_TCP) $(E2E_BIN) $(DISPATCH_BIN)

ifeq ($(ARCH),x86_64)
$(UAPI)/.stamp:
	@mkdir -p $(UAPI)
	@ln -sfn /usr/include/linux $(UAPI)/linux
	@ln -sfn /usr/include/asm-generic $(UAPI)/asm-generic
	@ln -sfn /usr/include/$$($(HOSTCC) -dumpmachine)/asm $(UAPI)/asm
	@touch $@
else
$(UAPI)/.stamp:
	@rm -rf $(BUILD)/libc-dev && mkdir -p $(BUILD)/libc-dev $(UAPI)
	cd $(BUILD)/libc-dev && apt-get -q -o APT::Sandbox::User=root \
		download linux-libc-dev:$(ARCH) >/dev/null
	dpkg-deb -x $(BUILD)/libc-dev/linux-libc-dev_*.deb $(BUILD)/libc-dev
	@ln -sfn ../libc-dev/usr/include/linux $(UAPI)/linux
	@ln -sfn ../libc-dev/usr/include/asm-generic $(UAPI)/asm-generic
	@ln -sfn ../libc-dev/usr/include/$(TRIPLET)/asm $(UAPI)/asm
	@touch $@
endif

$(BPF_OBJ): $(BPF_SRC) $(BPF_HDRS) $(UAPI)/.stamp
	@mkdir -p $(BUILD)
	$(CLANG) $(BPF_CFLAGS) -c $(BPF_SRC) -o $@
	@# branch labels are of no use to the loader: 9 KB less in the binary
	$(LLVM_STRIP) --discard-all $@

bpfeb: $(BPFEB_OBJ)

$(BPFEB_OBJ): $(BPF_SRC) $(BPF_HDRS)
	@$(MAKE) --no-print-directory ARCH=$(BPFEB_UAPI_ARCH) \
		build/$(BPFEB_UAPI_ARCH)/uapi/.stamp
	@mkdir -p $(dir $@)
	$(CLANG) $(BPFEB_CFLAGS) -c $(BPF_SRC) -o $@
	$(LLVM_STRIP) --discard-all $@

$(UNIT_BPFEB): $(BPF_SRC) $(BPF_HDRS) $(UAPI)/.stamp
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_COMMON) -target bpfeb $(BPF_ARCH_FLAGS) \
		-c $(BPF_SRC) -o $@
	$(LLVM_STRIP) --discard-all $@

# The object is embedded with .incbin, so the binary needs no file at run time.
$(TRACE_TCP): $(LOADER_SRC) $(LOADER_HDR) $(EMBED_SRC) $(BPF_OBJ)
	$(MUSLCC) $(MUSL_FLAGS) -DBPF_OBJECT_PATH=\"$(BPF_OBJ)\" \
		-o $@ $(LOADER_SRC) $(EMBED_SRC)
	@cp $@ $(BUILD)/trace_tcp.stripped && $(STRIP) $(BUILD)/trace_tcp.stripped
	@echo "$@: $$(stat -c %s $@) bytes, stripped $$(stat -c %s $(BUILD)/trace_tcp.stripped) bytes (limit $(SIZE_LIMIT))"

$(BUILD)/unit/obj/%.o: loader/%.c $(LOADER_HDR) $(UAPI)/.stamp
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -c -o $@ $<

$(BUILD)/unit/obj/embedded_object.o: $(EMBED_SRC) $(BPF_OBJ)
	@mkdir -p $(dir $@)
	$(HOSTCC) -DBPF_OBJECT_PATH=\"$(BPF_OBJ)\" -c -o $@ $<

# The twin, embedded the same way as tt_bpfeb_object.
$(BUILD)/unit/obj/bpfeb_object.o: $(EMBED_SRC) $(UNIT_BPFEB)
	@mkdir -p $(dir $@)
	$(HOSTCC) -DBPF_OBJECT_PATH=\"$(UNIT_BPFEB)\" \
		-Dtt_bpf_object=tt_bpfeb_object \
		-Dtt_bpf_object_end=tt_bpfeb_object_end -c -o $@ $<

$(UNIT_LIB): $(UNIT_OBJ)
	@rm -f $@
	ar rcsP $@ $^

$(BUILD)/unit/%: tests/unit/%.c $(UNIT_LIB) $(LOADER_HDR) tests/unit/unit.h \
		$(wildcard tests/unit/*/*.h) bpf/filter.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -DBPF_OBJECT_PATH=\"$(BPF_OBJ)\" \
		-DFIXTURES=\"tests/fixtures\" -o $@ $< $(UNIT_LIB)

$(BUILD)/e2e/%: tests/e2e/%.c $(UAPI)/.stamp
	@mkdir -p $(BUILD)/e2e
	$(MUSLCC) -O2 -Wall -Wextra -static -isystem $(UAPI) -Iinclude -o $@ $<

$(BUILD)/e2e/tcpscen: $(TCPSCEN_SRC) $(TCPSCEN_HDR) include/trace_tcp.h $(UAPI)/.stamp
	@mkdir -p $(BUILD)/e2e
	$(MUSLCC) -O2 -Wall -Wextra -static -isystem $(UAPI) -Iinclude -o $@ $(TCPSCEN_SRC)

BENCH_BIN := $(BUILD)/bench/loadgen
$(BENCH_BIN): tests/bench/loadgen.c $(UAPI)/.stamp
	@mkdir -p $(BUILD)/bench
	$(MUSLCC) -O2 -static -Wall -Wextra -o $@ $<

$(DISPATCH_BIN): tests/bench/dispatch.c $(DISPATCH_DEPS) $(LOADER_HDR) $(UAPI)/.stamp
	@mkdir -p $(BUILD)/bench
	$(MUSLCC) $(MUSL_FLAGS) -o $@ $< $(DISPATCH_DEPS)

SOAK_BIN := $(BUILD)/soak/flood
$(SOAK_BIN): tests/soak/flood.c $(UAPI)/.stamp
	@mkdir -p $(BUILD)/soak
	$(MUSLCC) -O2 -static -Wall -Wextra -o $@ $<

# As root: 1,000,000 connections and 100,000 refused through one
# trace_tcp, then 100,000 open at once (tests/soak/run.sh; SHORT=1 is
# the test command's short form).
soak: trace_tcp $(BENCH_BIN) $(SOAK_BIN)
	sh tests/soak/run.sh

# As root; installs its packages; 6-10 min. PAIRS= GUEST_PAIRS= N= M= SKIP_GUEST=1 SKIP_HOST=1
bench: trace_tcp $(BENCH_BIN)
	bash scripts/bench.sh

# Then make install and the man page (tests/install/run.sh).
unit: $(UNIT_BIN) $(MAN_PAGE)
	@status=0; sh tests/run-unit.sh $(UNIT_BIN) || status=1; \
		sh tests/install/run.sh || status=1; exit $$status

deps:
	sh scripts/install-deps.sh test

# libFuzzer targets, one per parser of outside input: clang (libFuzzer
# comes with it), the loader compiled once with the coverage hooks and
# linked from an archive as the unit tests are.
FUZZ_SECONDS ?= 60
FUZZ_SRC := $(sort $(wildcard tests/fuzz/*.c))
FUZZ_BIN := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))
FUZZ_LIB := build/fuzz/libtt.a
FUZZ_OBJ := $(patsubst loader/%.c,build/fuzz/obj/%.o,$(LIB_SRC))
FUZZ_SAN := address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS := -g -O1 $(WARN) $(CPPFLAGS) -isystem build/uapi

build/fuzz/obj/%.o: loader/%.c $(LOADER_HDR) build/uapi/.stamp
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) -c -o $@ $<

$(FUZZ_LIB): $(FUZZ_OBJ)
	@rm -f $@
	ar rcsP $@ $^

build/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB) $(LOADER_HDR) $(wildcard tests/fuzz/*.h)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer,$(FUZZ_SAN) -o $@ $< $(FUZZ_LIB)

fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BIN)


test:
	sh tests/run-all.sh

# The man page is made from what the binary prints (scripts/man-page.sh),
# so it says what loader/app/cli.c's table holds; its text is the same
# for every CPU, so another CPU's make takes it from the native binary,
# which runs here.
PREFIX   ?= /usr/local
MAN_PAGE := build/trace_tcp.8
MAN_SRC  := scripts/man-page.sh scripts/trace_tcp.8.in

man: $(MAN_PAGE)

ifeq ($(ARCH),x86_64)
$(MAN_PAGE): $(TRACE_TCP) $(MAN_SRC)
	sh scripts/man-page.sh ./$(TRACE_TCP) scripts/trace_tcp.8.in >$@.tmp
	@mv $@.tmp $@
else
$(MAN_PAGE): FORCE
	@$(MAKE) --no-print-directory ARCH=x86_64 $(MAN_PAGE)
endif
FORCE:

# A root's tool: sbin, section 8.
install: $(TRACE_TCP) $(MAN_PAGE)
	install -d "$(DESTDIR)$(PREFIX)/sbin" "$(DESTDIR)$(PREFIX)/share/man/man8"
	install -m 755 $(BUILD)/trace_tcp.stripped "$(DESTDIR)$(PREFIX)/sbin/trace_tcp"
	install -m 644 $(MAN_PAGE) "$(DESTDIR)$(PREFIX)/share/man/man8/trace_tcp.8"

uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/sbin/trace_tcp" \
		"$(DESTDIR)$(PREFIX)/share/man/man8/trace_tcp.8"

# The CPUs make dist builds, where their tools are installed.
DIST_ARCHS := x86_64 arm64 mips64el armhf mipsel
dist:
	@sh scripts/dist.sh $(VERSION) $(DIST_ARCHS)

# The image's CPUs: make ARCH, each one's stripped binary (the bytes
# make dist ships).
IMAGE_REF := localhost/trace_tcp:$(VERSION)
IMAGE     := build/image/trace_tcp-$(VERSION).oci.tar
image:
	@$(MAKE) -s --no-print-directory ARCH=x86_64 trace_tcp
	@$(MAKE) -s --no-print-directory ARCH=arm64 build/arm64/trace_tcp
	@$(MAKE) -s --no-print-directory ARCH=armhf build/armhf/trace_tcp
	python3 scripts/oci-image.py $(IMAGE_REF) $(IMAGE) \
		x86_64=build/trace_tcp.stripped arm64=build/arm64/trace_tcp.stripped \
		armhf=build/armhf/trace_tcp.stripped

clean:
	rm -rf build trace_tcp dist
