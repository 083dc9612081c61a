//go:build !unix

package main

import "os"

// maxRSSKB is not measured here (0).
func maxRSSKB(*os.ProcessState) int64 { return 0 }
