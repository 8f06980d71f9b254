package io.quorum.raft.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The names a certificate gives its holder, as etcd reads a peer's identity: the subject's common
 * names (CN) and the DNS names among its subject alternative names. A member id matches a
 * certificate when it equals one of them exactly (no wildcards: a member is one certificate).
 */
public final class CertificateNames {

    /** The subjectAltName type of a DNS name (RFC 5280, GeneralName dNSName [2]). */
    private static final int DNS_NAME = 2;

    private CertificateNames() {
    }

    /** CNs first, then DNS SANs, without duplicates; empty when the certificate names nobody. */
    public static Set<String> of(X509Certificate certificate) {
        Set<String> names = new LinkedHashSet<>(commonNames(certificate));
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> name : alternatives) {
                    if (name.size() == 2 && Integer.valueOf(DNS_NAME).equals(name.get(0)) && name.get(1) instanceof String dns) {
                        names.add(dns);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // A malformed extension names nobody; the CN still counts.
        }
        return Set.copyOf(names);
    }

    private static List<String> commonNames(X509Certificate certificate) {
        try {
            LdapName subject = new LdapName(certificate.getSubjectX500Principal().getName());
            return subject.getRdns().stream()
                    .filter(rdn -> rdn.getType().equalsIgnoreCase("CN"))
                    .map(Rdn::getValue)
                    .filter(String.class::isInstance)
                    .map(String.class::cast)
                    .toList();
        } catch (InvalidNameException e) {
            return List.of();
        }
    }
}
