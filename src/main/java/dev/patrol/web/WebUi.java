package dev.patrol.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web front end: static ES modules under {@code static/} (served at {@code /}, the app at {@code /app/}) and its
 * libraries from their jars. uPlot is a WebJar, served versionless at {@code /webjars/uplot/...} by the locator;
 * htm's standalone Preact build comes as an mvnpm jar, which the locator does not know, so it is mapped here to the
 * versionless {@code /lib/htm/...}: the modules' imports never name a version.
 */
@Configuration
class WebUi implements WebMvcConfigurer {

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/lib/htm/**")
                .addResourceLocations("classpath:/META-INF/resources/_static/htm/" + mvnpmVersion("htm") + "/");
    }

    private static String mvnpmVersion(String artifact) {
        String path = "META-INF/maven/org.mvnpm/" + artifact + "/pom.properties";
        try (InputStream in = WebUi.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing: the " + artifact + " jar is not on the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
