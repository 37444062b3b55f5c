package wine

import "golang.org/x/sys/windows"

func running() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}
