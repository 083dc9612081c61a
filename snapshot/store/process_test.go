package store

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/woonexo/woonexo/snapshot"
)

// Environment of the helper process: what it does and on which file.
const (
	helperModeEnv = "WOONEXO_STORE_HELPER"
	helperPathEnv = "WOONEXO_STORE_PATH"
)

// TestHelperProcess is not a test: it is the second woonexo process that
// other tests start by running this test binary again. It opens the state
// file, prints "ready" and then, in mode "hold", keeps the file open until
// its standard input closes; in mode "crash", it commits one transaction,
// then stops in the middle of a second one and waits to be killed.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(helperModeEnv)
	if mode == "" {
		t.Skip("helper process started by other tests")
	}
	s, err := Open(os.Getenv(helperPathEnv), Options{})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	switch mode {
	case "hold":
		fmt.Println("ready")
		io.Copy(io.Discard, os.Stdin)
	case "crash":
		err := s.Update(func(tx *Tx) error { return tx.PutMeta("phase", "committed") })
		if err != nil {
			fmt.Println("update:", err)
			os.Exit(1)
		}
		s.Update(func(tx *Tx) error {
			tx.PutMeta("phase", "half-written")
			for i := range 1000 {
				tx.PutProduct(snapshot.WooCommerce, testProduct(i), snapshot.DefaultForm)
			}
			fmt.Println("ready")
			io.Copy(io.Discard, os.Stdin) // killed here
			return nil
		})
	}
	s.Close()
	os.Exit(0)
}

// startHelper runs TestHelperProcess in mode on path and returns once it
// has said "ready". Closing the returned writer lets a holding helper go;
// the helper is killed at the end of the test in any case.
func startHelper(t *testing.T, mode, path string) (*exec.Cmd, io.WriteCloser) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), helperModeEnv+"="+mode, helperPathEnv+"="+path)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if line != "ready\n" {
		t.Fatalf("helper said %q (%v), want ready", line, err)
	}
	return cmd, stdin
}

func TestOpenFailsFastWhenAnotherProcessHoldsTheFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.db")
	_, release := startHelper(t, "hold", path)

	start := time.Now()
	s, err := Open(path, Options{})
	elapsed := time.Since(start)
	if err == nil {
		s.Close()
		t.Fatal("Open succeeded while another process holds the file")
	}
	if !errors.Is(err, ErrLocked) {
		t.Errorf("Open error %v does not wrap ErrLocked", err)
	}
	want := fmt.Sprintf("state file %q is in use by another woonexo process", path)
	if !strings.Contains(err.Error(), want) {
		t.Errorf("Open error %q does not say %q", err, want)
	}
	t.Logf("after %v: %v", elapsed.Round(time.Millisecond), err)
	if elapsed > 3*time.Second {
		t.Errorf("Open took %v to fail, want about %v", elapsed, DefaultLockTimeout)
	}

	_, err = Open(path, Options{ReadOnly: true, LockTimeout: 50 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Errorf("read-only Open while held: %v, want ErrLocked", err)
	}

	release.Close()
	openTestAt(t, path) // the lock is free once the other process ends
}

func TestOpenFailsFastWhenThisProcessHoldsTheFile(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	start := time.Now()
	s2, err := Open(s.Path(), Options{})
	elapsed := time.Since(start)
	if err == nil {
		s2.Close()
		t.Fatal("second Open in one process succeeded")
	}
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), s.Path()) {
		t.Errorf("second Open: %v, want ErrLocked naming the file", err)
	}
	if elapsed > 3*time.Second {
		t.Errorf("second Open took %v to fail", elapsed)
	}
}

func TestKilledMidTransactionKeepsCommittedState(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.db")
	cmd, _ := startHelper(t, "crash", path)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	s := openTestAt(t, path)
	view(t, s, func(tx *Tx) error {
		if v, _ := tx.Meta("phase"); v != "committed" {
			t.Errorf("phase = %q after the crash, want committed", v)
		}
		if n, err := tx.Count(snapshot.WooCommerce, snapshot.KindProduct); n != 0 || err != nil {
			t.Errorf("%d products (%v) survive an uncommitted transaction", n, err)
		}
		return nil
	})
}
