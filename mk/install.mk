# `make install`: the release binary, rules, systemd units, journal catalog, sysusers.d and
# tmpfiles.d entries, docs, man pages and shell completions (mk/man.mk) and an example config.
# Honours DESTDIR (staging root for packages) and PREFIX (default /usr). Units go to
# $(DESTDIR)$(UNITDIR), /lib/systemd/system by default.
#   make install                          build release, install into /, create user and dirs
#   make install DESTDIR=/tmp/pkg         stage into /tmp/pkg; nothing is run on this machine
#   make install NOBUILD=1 KAMWATCH_BIN=… install an already built binary
PREFIX       ?= /usr
DESTDIR      ?=
UNITDIR      ?= /lib/systemd/system
SYSCONFDIR   ?= /etc
KAMWATCH_BIN ?= .build/release/kamwatch
# A self-contained binary: the target machine needs no Swift toolchain.
SWIFT_RELEASE_FLAGS ?= --static-swift-stdlib
INSTALL      ?= install

BINDIR      := $(DESTDIR)$(PREFIX)/bin
RULESDIR    := $(DESTDIR)$(PREFIX)/share/kamwatch/rules
SOURCESDIR  := $(DESTDIR)$(PREFIX)/share/kamwatch/sources
DOCDIR      := $(DESTDIR)$(PREFIX)/share/doc/kamwatch
CATALOGDIR  := $(DESTDIR)$(PREFIX)/lib/systemd/catalog
SYSUSERSDIR := $(DESTDIR)$(PREFIX)/lib/sysusers.d
TMPFILESDIR := $(DESTDIR)$(PREFIX)/lib/tmpfiles.d
CONFDIR     := $(DESTDIR)$(SYSCONFDIR)/kamwatch
# The shipped files name /usr paths; rewrite them for another PREFIX.
PREFIX_SED  := sed -e 's|/usr/bin/kamwatch|$(PREFIX)/bin/kamwatch|g' -e 's|/usr/share/kamwatch|$(PREFIX)/share/kamwatch|g' -e 's|/usr/share/doc/kamwatch|$(PREFIX)/share/doc/kamwatch|g'

.PHONY: install install-build install-files install-activate uninstall

install: install-build install-files install-man install-activate

install-build:
ifeq ($(NOBUILD),)
	$(SWIFT) build -c release --product kamwatch $(SWIFT_RELEASE_FLAGS)
endif

# SwiftPM resource bundles (digest templates) are looked up beside the executable, so they
# go to $(BINDIR) too. An existing config is the administrator's: it is never overwritten.
# README.md and docs/*.md go side by side into $(DOCDIR) (the units and the catalog link to
# operations.md and digest.md there), so their links to each other are rewritten flat.
install-files:
	@test -x "$(KAMWATCH_BIN)" || { echo "install: $(KAMWATCH_BIN) is missing (run without NOBUILD=1 to build it)" >&2; exit 1; }
	$(INSTALL) -d -m 0755 $(BINDIR) $(RULESDIR) $(DOCDIR) $(CATALOGDIR) $(SYSUSERSDIR) $(TMPFILESDIR) $(DESTDIR)$(UNITDIR)
	$(INSTALL) -m 0755 $(KAMWATCH_BIN) $(BINDIR)/kamwatch
	set -e; for b in $(dir $(KAMWATCH_BIN))*.resources; do \
		case "$$b" in *Tests.resources | *"*.resources") continue ;; esac; \
		rm -rf "$(BINDIR)/$$(basename "$$b")"; cp -R "$$b" $(BINDIR)/; chmod -R u=rwX,go=rX "$(BINDIR)/$$(basename "$$b")"; \
	done
	set -e; for f in rules/*.yaml; do [ -e "$$f" ] || continue; $(INSTALL) -m 0644 "$$f" $(RULESDIR)/; done
	$(INSTALL) -d $(SOURCESDIR)
	set -e; for f in sources/*.yaml; do [ -e "$$f" ] || continue; $(INSTALL) -m 0644 "$$f" $(SOURCESDIR)/; done
	$(PREFIX_SED) deploy/kamwatch.service > $(DESTDIR)$(UNITDIR)/kamwatch.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/kamwatch.service
	set -e; for u in kamwatch-digest.service kamwatch-digest.timer kamwatch-deliver.service; do \
		if [ -e deploy/$$u ]; then $(PREFIX_SED) deploy/$$u > $(DESTDIR)$(UNITDIR)/$$u; chmod 0644 $(DESTDIR)$(UNITDIR)/$$u; fi; \
	done
	$(PREFIX_SED) deploy/kamwatch.catalog > $(CATALOGDIR)/kamwatch.catalog
	chmod 0644 $(CATALOGDIR)/kamwatch.catalog
	$(INSTALL) -m 0644 deploy/kamwatch.sysusers $(SYSUSERSDIR)/kamwatch.conf
	$(INSTALL) -m 0644 deploy/kamwatch.tmpfiles $(TMPFILESDIR)/kamwatch.conf
	set -e; for d in README.md docs/*.md; do \
		[ -e "$$d" ] || continue; \
		sed -e 's|](docs/|](|g' -e 's|](\.\./README\.md|](README.md|g' "$$d" > $(DOCDIR)/$$(basename "$$d"); \
		chmod 0644 $(DOCDIR)/$$(basename "$$d"); \
	done
	$(INSTALL) -d -m 0755 $(CONFDIR)
	if [ -e $(CONFDIR)/kamwatch.yaml ]; then \
		echo "install: keeping existing $(CONFDIR)/kamwatch.yaml"; \
	else \
		$(PREFIX_SED) deploy/kamwatch.yaml > $(CONFDIR)/kamwatch.yaml; chmod 0644 $(CONFDIR)/kamwatch.yaml; \
	fi

# On the live system only (no DESTDIR): create the user and directories, index the catalog,
# and let systemd see the units. Enabling and starting is left to the administrator.
install-activate:
ifeq ($(DESTDIR),)
	systemd-sysusers $(PREFIX)/lib/sysusers.d/kamwatch.conf
	systemd-tmpfiles --create $(PREFIX)/lib/tmpfiles.d/kamwatch.conf
	journalctl --update-catalog
	if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
	@echo "installed; start with: systemctl enable --now kamwatch.service"
endif

# Removes what install put in place; the config, state, outbox and the user are kept.
uninstall:
	rm -rf $(BINDIR)/kamwatch_*.resources $(BINDIR)/GRDB_*.resources
	rm -f $(BINDIR)/kamwatch $(CATALOGDIR)/kamwatch.catalog $(SYSUSERSDIR)/kamwatch.conf $(TMPFILESDIR)/kamwatch.conf
	rm -f $(DESTDIR)$(UNITDIR)/kamwatch.service $(DESTDIR)$(UNITDIR)/kamwatch-digest.service $(DESTDIR)$(UNITDIR)/kamwatch-digest.timer \
		$(DESTDIR)$(UNITDIR)/kamwatch-deliver.service
	rm -f $(DESTDIR)$(PREFIX)/share/man/man1/kamwatch.1.gz $(DESTDIR)$(PREFIX)/share/man/man5/kamwatch.yaml.5.gz $(DESTDIR)$(PREFIX)/share/man/man5/kamwatch-rules.5.gz
	rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/kamwatch $(DESTDIR)$(PREFIX)/share/zsh/vendor-completions/_kamwatch $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/kamwatch.fish
	rm -rf $(RULESDIR) $(SOURCESDIR) $(DOCDIR)
	-rmdir $(DESTDIR)$(PREFIX)/share/kamwatch 2>/dev/null
