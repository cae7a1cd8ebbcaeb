# Daily digest previews: writes the example digests (en, ru, all clear) with the unit tests'
# fixed data, checks them as e-mail, and renders their HTML with headless Chromium to
# .e2e/digest/digest-*.png.
.PHONY: digest-preview

digest-preview:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --filter SampleDigestFiles
	sh Tests/EndToEnd/test-digest-email.sh $(BIN)
	sh Tests/EndToEnd/test-digest-render.sh $(BIN)
