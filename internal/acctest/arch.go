package acctest

import "runtime"

// hostArch is the Debian architecture name of this machine.
func hostArch() string { return runtime.GOARCH }
