package install

import "nidan.dev/nidan/manifests"

// windowsBrowsers: on Windows the manifests lie beside the binary and each
// browser finds them through a registry key. LibreWolf also reads Mozilla's
// key, so both are written for it.
var windowsBrowsers = []Browser{
	{
		Name: "chrome", Title: "Google Chrome", Family: manifests.Chromium,
		Keys:  []string{`Software\Google\Chrome\NativeMessagingHosts`},
		Marks: []string{"%LOCALAPPDATA%/Google/Chrome/User Data", "%ProgramFiles%/Google/Chrome/Application/chrome.exe"},
	},
	{
		Name: "chromium", Title: "Chromium", Family: manifests.Chromium,
		Keys:  []string{`Software\Chromium\NativeMessagingHosts`},
		Marks: []string{"%LOCALAPPDATA%/Chromium/User Data"},
	},
	{
		Name: "edge", Title: "Microsoft Edge", Family: manifests.Chromium,
		Keys:  []string{`Software\Microsoft\Edge\NativeMessagingHosts`},
		Marks: []string{"%LOCALAPPDATA%/Microsoft/Edge/User Data", "%ProgramFiles(x86)%/Microsoft/Edge/Application/msedge.exe"},
	},
	{
		Name: "brave", Title: "Brave", Family: manifests.Chromium,
		Keys:  []string{`Software\BraveSoftware\Brave-Browser\NativeMessagingHosts`},
		Marks: []string{"%LOCALAPPDATA%/BraveSoftware/Brave-Browser/User Data", "%ProgramFiles%/BraveSoftware/Brave-Browser/Application/brave.exe"},
	},
	{
		Name: "vivaldi", Title: "Vivaldi", Family: manifests.Chromium,
		Keys:  []string{`Software\Vivaldi\NativeMessagingHosts`},
		Marks: []string{"%LOCALAPPDATA%/Vivaldi/User Data"},
	},
	{
		Name: "firefox", Title: "Firefox", Family: manifests.Firefox,
		Keys:  []string{`Software\Mozilla\NativeMessagingHosts`},
		Marks: []string{"%APPDATA%/Mozilla/Firefox", "%ProgramFiles%/Mozilla Firefox/firefox.exe"},
	},
	{
		Name: "librewolf", Title: "LibreWolf", Family: manifests.Firefox,
		Keys:  []string{`Software\LibreWolf\NativeMessagingHosts`, `Software\Mozilla\NativeMessagingHosts`},
		Marks: []string{"%APPDATA%/librewolf", "%ProgramFiles%/LibreWolf/librewolf.exe"},
	},
}
