package io.goatflow.mail.internal;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The class loaders of Jakarta Mail, Angus Mail and Angus Activation as one: the context class loader while mail is
 * built and sent, so their {@code ServiceLoader} and {@code META-INF/javamail.*} lookups find each other inside OSGi
 * (outside OSGi these are all one class path, and this changes nothing).
 */
final class MailClassLoader extends ClassLoader {
    private final List<ClassLoader> loaders;

    MailClassLoader() {
        super(null);
        Set<ClassLoader> found = new LinkedHashSet<>();
        for (Class<?> anchor : new Class<?>[] {org.eclipse.angus.mail.smtp.SMTPTransport.class,
                org.eclipse.angus.activation.MailcapRegistryProviderImpl.class, jakarta.mail.Session.class,
                jakarta.activation.DataHandler.class}) {
            if (anchor.getClassLoader() != null) {
                found.add(anchor.getClassLoader());
            }
        }
        this.loaders = List.copyOf(found);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        for (ClassLoader loader : loaders) {
            try {
                return loader.loadClass(name);
            } catch (ClassNotFoundException notHere) {
                // try the next bundle
            }
        }
        throw new ClassNotFoundException(name);
    }

    @Override
    protected URL findResource(String name) {
        for (ClassLoader loader : loaders) {
            URL url = loader.getResource(name);
            if (url != null) {
                return url;
            }
        }
        return null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        List<URL> all = new ArrayList<>();
        for (ClassLoader loader : loaders) {
            all.addAll(Collections.list(loader.getResources(name)));
        }
        return Collections.enumeration(all);
    }
}
