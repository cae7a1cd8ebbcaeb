# Manual pages and shell completions. kamwatch.1 comes from swift-argument-parser's manual
# generator (scripts/man-page.sh); kamwatch.yaml.5 and kamwatch-rules.5 are written by hand
# (docs/man/); the completions are the binary's own (--generate-completion-script).
MANBUILD     := .build/man
MANDIR       := $(DESTDIR)$(PREFIX)/share/man
BASHCOMPDIR  := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR   := $(DESTDIR)$(PREFIX)/share/zsh/vendor-completions
FISHCOMPDIR  := $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
COMPLETION_BIN ?= $(KAMWATCH_BIN)

.PHONY: man completions install-man

man: $(MANBUILD)/kamwatch.1

$(MANBUILD)/kamwatch.1: Sources/kamwatch/*.swift docs/man/kamwatch.1.extra scripts/man-page.sh
	sh scripts/man-page.sh $(MANBUILD)

completions:
	@test -x "$(COMPLETION_BIN)" || { echo "completions: $(COMPLETION_BIN) is missing" >&2; exit 1; }
	mkdir -p $(MANBUILD)/completions
	$(COMPLETION_BIN) --generate-completion-script bash > $(MANBUILD)/completions/kamwatch
	$(COMPLETION_BIN) --generate-completion-script zsh > $(MANBUILD)/completions/_kamwatch
	$(COMPLETION_BIN) --generate-completion-script fish > $(MANBUILD)/completions/kamwatch.fish

# Where Debian looks for them: man1/man5 (gzipped, as dh_installman does), bash-completion's
# completions/, zsh's vendor-completions/ and fish's vendor_completions.d/.
install-man: man completions
	$(INSTALL) -d -m 0755 $(MANDIR)/man1 $(MANDIR)/man5 $(BASHCOMPDIR) $(ZSHCOMPDIR) $(FISHCOMPDIR)
	gzip -9n < $(MANBUILD)/kamwatch.1 > $(MANDIR)/man1/kamwatch.1.gz
	gzip -9n < docs/man/kamwatch.yaml.5 > $(MANDIR)/man5/kamwatch.yaml.5.gz
	gzip -9n < docs/man/kamwatch-rules.5 > $(MANDIR)/man5/kamwatch-rules.5.gz
	chmod 0644 $(MANDIR)/man1/kamwatch.1.gz $(MANDIR)/man5/kamwatch.yaml.5.gz $(MANDIR)/man5/kamwatch-rules.5.gz
	$(INSTALL) -m 0644 $(MANBUILD)/completions/kamwatch $(BASHCOMPDIR)/kamwatch
	$(INSTALL) -m 0644 $(MANBUILD)/completions/_kamwatch $(ZSHCOMPDIR)/_kamwatch
	$(INSTALL) -m 0644 $(MANBUILD)/completions/kamwatch.fish $(FISHCOMPDIR)/kamwatch.fish
