#include "serversan/server/charts/theme.h"

namespace serversan::charts {

namespace {

constexpr Rgb hex(uint32_t v) {
	return {((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0, (v & 0xff) / 255.0};
}

const Palette kLight{
    hex(0xffffff),
    hex(0x1f2328),
    hex(0x656d76),
    hex(0xe6e8eb),
    hex(0xb8bec6),
    hex(0x9aa3ad),
    hex(0xd92d20),
    {hex(0x1f6feb), hex(0xf08c00), hex(0xd6336c), hex(0x7950f2), hex(0x2b9348), hex(0x0c8599), hex(0x8d6e63),
     hex(0x495057)},
    0.85,
    0.2,
};

const Palette kDark{
    hex(0x15191e),
    hex(0xe8eaed),
    hex(0x9aa4af),
    hex(0x2a3038),
    hex(0x48515c),
    hex(0x8892a0),
    hex(0xff6b6b),
    {hex(0x58a6ff), hex(0xffa94d), hex(0xf783ac), hex(0xb197fc), hex(0x69db7c), hex(0x3bc9db), hex(0xd7ccc8),
     hex(0xced4da)},
    0.8,
    0.25,
};

} // namespace

const Palette& palette(Theme theme) {
	return theme == Theme::dark ? kDark : kLight;
}

} // namespace serversan::charts
