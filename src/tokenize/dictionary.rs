lindera_dictionary::embedded_dictionary!("/ipadic", EmbeddedIpadicLoader);
