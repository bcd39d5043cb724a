package dev.patrol.shared;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address or CIDR block: the inventory's last-used-IP filter and the management port's allowlist.
 */
public record IpRange(byte[] network, int prefixLength, String literal) {

    public static IpRange parse(String value) {
        String text = value == null ? "" : value.strip();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = address(address).orElseThrow(() -> PatrolException.badInput(
                "'" + value + "' is not an IP address or CIDR block (e.g. 10.0.0.0/8 or 2001:db8::/32)."));
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw PatrolException.badInput("'" + value + "' has an invalid prefix length; use 0 to " + bits + ".");
            }
        }
        return new IpRange(bytes, prefix, text);
    }

    public boolean isSingleAddress() {
        return prefixLength == network.length * 8;
    }

    /**
     * A text prefix every IPv4 address in the block starts with ("10.1."), to narrow the candidates with an index
     * before {@link #contains} decides; empty when the text form does not allow it (IPv6, short prefixes).
     */
    public String textPrefix() {
        if (network.length != 4 || prefixLength < 8) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < prefixLength / 8; i++) {
            sb.append(network[i] & 0xff).append('.');
        }
        return sb.toString();
    }

    public boolean contains(String candidate) {
        Optional<byte[]> bytes = address(candidate);
        if (bytes.isEmpty() || bytes.get().length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefixLength; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((bytes.get()[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** Parses an address literal; never resolves a host name. */
    private static Optional<byte[]> address(String text) {
        boolean ipv4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}")
                && java.util.Arrays.stream(text.split("\\.")).allMatch(o -> Integer.parseInt(o) <= 255);
        boolean ipv6 = text.contains(":") && text.matches("[0-9A-Fa-f:.]+");
        if (!ipv4 && !ipv6) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
