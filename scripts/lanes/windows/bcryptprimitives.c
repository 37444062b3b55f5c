/*
 * A test-only stand-in for Windows' bcryptprimitives.dll, which Wine 8 lacks
 * and Go 1.24+ binaries load for ProcessPrng (their only source of random
 * bytes). It forwards to RtlGenRandom (advapi32's SystemFunction036), which
 * Wine has. scripts/lanes/windows.sh builds it into the lane's throwaway Wine
 * prefix; it never ships.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buf, ULONG len);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
