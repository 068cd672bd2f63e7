/*
 * fuzz_json.c - libFuzzer target for json_parse().
 *
 *     clang -g -O1 -fsanitize=fuzzer,address,undefined \
 *         -fno-sanitize-recover=undefined -iquote generator \
 *         tests/fuzz/fuzz_json.c generator/json.c generator/diag.c \
 *         generator/buf.c generator/error.c \
 *         $(pkg-config --cflags --libs libcjson) -o fuzz_json
 *     mkdir -p /tmp/corpus
 *     ./fuzz_json -max_total_time=60 /tmp/corpus tests/fuzz/corpus/json
 *
 * New inputs go to the first directory, so the seeds stay as they are.
 *
 * Besides crashes, it checks the contract: 1 comes with diagnostics and
 * no tree, 0 with a tree and no diagnostics, and every index entry is
 * found by its node.
 */
#include <stdint.h>
#include <stdlib.h>

#include "diag.h"
#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct json_doc doc = JSON_DOC_INIT;
	struct diags d = DIAGS_INIT;
	int rc = json_parse(&doc, "fuzz.json", (const char *)data, len, &d);
	size_t i;

	if (rc == 1 && (!d.n || doc.root))
		abort();
	if (rc < 0 || rc > 1 || (rc == 0 && (d.n || !doc.root)))
		abort();
	for (i = 0; i < doc.nindex; i++) {
		struct json_pos p = json_value_pos(&doc, doc.index[i].node);

		if (p.line != doc.index[i].value.line ||
		    p.col != doc.index[i].value.col)
			abort();
	}
	json_doc_release(&doc);
	diags_release(&d);
	return 0;
}
