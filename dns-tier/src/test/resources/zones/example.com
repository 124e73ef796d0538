; The test zone: every kind of answer the server gives, shared by the codec, server and differential tests.
$TTL 3600
@         IN SOA   ns1.example.com. hostmaster.example.com. ( 2026010101 7200 900 1209600 300 )
          IN NS    ns1.example.com.
          IN NS    ns2.example.com.
          IN MX    10 mail.example.com.
          IN TXT   "v=spf1 -all"
ns1       IN A     192.0.2.1
ns2       IN A     192.0.2.2
          IN AAAA  2001:db8::2
www       IN A     192.0.2.10
          IN A     192.0.2.11
          IN AAAA  2001:db8::10
mail      IN A     192.0.2.25
alias     IN CNAME www
alias2    IN CNAME alias
ext       IN CNAME www.example.net.
dangling  IN CNAME nothere
a.b.c     IN TXT   "deep"
_sip._udp IN SRV   10 20 5060 www.example.com.
sub       IN NS    ns.sub
          IN NS    ns1.example.com.
ns.sub    IN A     192.0.2.53
          IN AAAA  2001:db8::53
*.wild    IN A     192.0.2.99
*.wild    IN TXT   "wild"
big       IN TXT   "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
          IN TXT   "1123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
          IN TXT   "2123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
          IN TXT   "3123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
          IN TXT   "4123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
          IN TXT   "5123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
huge      IN TXT   "0xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          IN TXT   "1xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          IN TXT   "2xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          IN TXT   "3xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          IN TXT   "4xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          IN TXT   "5xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          IN TXT   "6xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          IN TXT   "7xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          IN TXT   "8xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          IN TXT   "9xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          IN TXT   "0xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          IN TXT   "1xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          IN TXT   "2xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          IN TXT   "3xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
