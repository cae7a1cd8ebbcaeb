# `make deb`: the Debian package .build/deb/kamwatch_<version>_amd64.deb, built with
# dpkg-buildpackage and debhelper from debian/, then checked with lintian (any error fails).
# The release build is the costly part: an existing .build/release/kamwatch is reused when it
# was linked with the Swift standard library inside (SWIFT_RELEASE_FLAGS, as `make install`
# builds it) and no source is newer; otherwise it is built (incrementally). debian/rules stages it with `make install-files`.
# The package is built in a copy of the tree (.build/deb/src), so dpkg-buildpackage's clean
# and its debian/ leftovers never touch the working tree; kamwatch.1 is generated here first
# (`make man`, which needs this tree's SwiftPM build) and copied along.
DEB_DIR     := .build/deb
DEB_VERSION  = $(shell dpkg-parsechangelog -l debian/changelog -S Version)
DEB_FILE     = $(DEB_DIR)/kamwatch_$(DEB_VERSION)_amd64.deb

.PHONY: deb deb-binary deb-lint

deb: deb-binary man
	rm -rf $(DEB_DIR)/src
	mkdir -p $(DEB_DIR)/src/bin $(DEB_DIR)/src/.build
	tar -c --exclude=./.build --exclude=./.git --exclude=./.e2e --exclude=./.run . | tar -x -C $(DEB_DIR)/src
	cp -Rp $(MANBUILD) $(DEB_DIR)/src/.build/
	cp $(RELBIN) $(DEB_DIR)/src/bin/kamwatch
	set -e; for b in $(dir $(RELBIN))*.resources; do \
		case "$$b" in *Tests.resources | *"*.resources") continue ;; esac; cp -R "$$b" $(DEB_DIR)/src/bin/; \
	done
	cd $(DEB_DIR)/src && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage --build=binary --no-sign >../build.log 2>&1 || \
		{ tail -40 ../build.log >&2; exit 1; }
	rm -rf $(DEB_DIR)/src
	@echo "built $(DEB_FILE)"
	$(MAKE) --no-print-directory deb-lint

## Builds the release binary unless an up-to-date one with the Swift runtime linked in is there.
deb-binary:
	@if [ -x $(RELBIN) ] && ! readelf -d $(RELBIN) 2>/dev/null | grep -q 'NEEDED.*libswift' && \
		[ -z "$$(find Sources Package.swift Package.resolved -newer $(RELBIN) -type f 2>/dev/null | head -1)" ]; then \
		echo "deb: reusing $(RELBIN)"; \
	else \
		echo "$(SWIFT) build -c release --product kamwatch $(SWIFT_RELEASE_FLAGS)"; \
		$(SWIFT) build -c release --product kamwatch $(SWIFT_RELEASE_FLAGS); \
	fi

## lintian on the package: any error fails. Overridden tags are explained in
## debian/kamwatch.lintian-overrides.
deb-lint:
	lintian --fail-on error --info $(DEB_FILE)
