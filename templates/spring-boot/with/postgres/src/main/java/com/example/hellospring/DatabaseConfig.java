package com.example.hellospring;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import javax.sql.DataSource;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The DataSource from DATABASE_URL (poly sets it from the db service's URL). That is a
 * postgres://user:password@host:port/database URL, which JDBC does not read: it is split here.
 */
@Configuration
public class DatabaseConfig {

    @Bean
    public DataSource dataSource() {
        String url = System.getenv("DATABASE_URL");
        if (url == null || url.isEmpty()) {
            throw new IllegalStateException("DATABASE_URL is not set: run through poly (poly up, poly run <service>:test), "
                + "or set it to postgres://user:password@host:port/database");
        }
        URI uri = URI.create(url);
        String[] login = uri.getRawUserInfo() == null ? new String[0] : uri.getRawUserInfo().split(":", 2);
        DataSourceBuilder<?> builder = DataSourceBuilder.create()
            .url("jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() == -1 ? 5432 : uri.getPort()) + uri.getRawPath());
        if (login.length > 0) builder.username(decode(login[0]));
        if (login.length > 1) builder.password(decode(login[1]));
        return builder.build();
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }
}
