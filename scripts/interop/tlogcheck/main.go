// Command tlogcheck verifies Xuke's transparency log output with Go's golang.org/x/mod/sumdb packages,
// which this project did not write (docs/FORMATS.md §5).
//
//	tlogcheck VKEY CHECKPOINT_FILE INCLUSION_JSON CONSISTENCY_JSON OLD_CHECKPOINT_FILE
//
// It opens both checkpoints with note.Open, checks the inclusion proof against the new checkpoint with
// tlog.CheckRecord, and the consistency proof between the two with tlog.CheckTree.
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

func hash(b64 string) tlog.Hash {
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(b) != tlog.HashSize {
		fail("bad hash %q", b64)
	}
	var h tlog.Hash
	copy(h[:], b)
	return h
}

func checkpoint(v note.Verifiers, path string) (int64, tlog.Hash) {
	data, err := os.ReadFile(path)
	if err != nil {
		fail("%v", err)
	}
	n, err := note.Open(data, v)
	if err != nil {
		fail("note.Open %s: %v", path, err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 {
		fail("checkpoint text too short")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		fail("size: %v", err)
	}
	return size, hash(lines[2])
}

func main() {
	if len(os.Args) != 6 {
		fail("usage: tlogcheck VKEY CHECKPOINT INCLUSION_JSON CONSISTENCY_JSON OLD_CHECKPOINT")
	}
	verifier, err := note.NewVerifier(os.Args[1])
	if err != nil {
		fail("verifier key: %v", err)
	}
	v := note.VerifierList(verifier)
	size, root := checkpoint(v, os.Args[2])
	oldSize, oldRoot := checkpoint(v, os.Args[5])

	var inc struct {
		Index    int64    `json:"index"`
		TreeSize int64    `json:"tree_size"`
		Entry    string   `json:"entry"`
		Proof    []string `json:"proof"`
	}
	data, _ := os.ReadFile(os.Args[3])
	if err := json.Unmarshal(data, &inc); err != nil {
		fail("inclusion json: %v", err)
	}
	if inc.TreeSize != size {
		fail("inclusion proof is for size %d, checkpoint is %d", inc.TreeSize, size)
	}
	var rp tlog.RecordProof
	for _, p := range inc.Proof {
		rp = append(rp, hash(p))
	}
	if err := tlog.CheckRecord(rp, size, root, inc.Index, tlog.RecordHash([]byte(inc.Entry))); err != nil {
		fail("CheckRecord: %v", err)
	}

	var con struct {
		From  int64    `json:"from"`
		To    int64    `json:"to"`
		Proof []string `json:"proof"`
	}
	data, _ = os.ReadFile(os.Args[4])
	if err := json.Unmarshal(data, &con); err != nil {
		fail("consistency json: %v", err)
	}
	if con.From != oldSize || con.To != size {
		fail("consistency proof %d->%d does not join the checkpoints %d->%d", con.From, con.To, oldSize, size)
	}
	var tp tlog.TreeProof
	for _, p := range con.Proof {
		tp = append(tp, hash(p))
	}
	if err := tlog.CheckTree(tp, size, root, oldSize, oldRoot); err != nil {
		fail("CheckTree: %v", err)
	}
	fmt.Printf("ok: checkpoints %d and %d signed; entry %d included; %d consistent with %d\n", oldSize, size, inc.Index, oldSize, size)
}
