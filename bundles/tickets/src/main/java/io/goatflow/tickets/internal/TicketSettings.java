package io.goatflow.tickets.internal;

import io.goatflow.sysconfig.ConfigGet;

/**
 * The application settings the ticket area reads (seeded into {@code sysconfig_default} by this bundle's
 * migrations), with the shipped defaults while sysconfig is being swapped.
 */
record TicketSettings(String systemId, long maxAttachmentBytes, long ticketQuotaBytes, String blockedExtensions,
        boolean customerCompanyTickets, String customerQueue) {

    static final String BLOCKED_DEFAULT = "exe,com,bat,cmd,ps1,psm1,vbs,vbe,js,jse,wsf,wsh,msi,msp,scr,pif,cpl,hta,"
            + "jar,dll,lnk,reg,sh,bash,zsh,app,apk,deb,rpm,iso,img";

    static TicketSettings from(ConfigGet config) {
        if (config == null) {
            return new TicketSettings("10", 10_485_760, 104_857_600, BLOCKED_DEFAULT, false, "Postmaster");
        }
        String systemId = config.string("SystemID").orElse("10").replaceAll("[^0-9]", "");
        return new TicketSettings(systemId.isEmpty() ? "10" : systemId,
                config.number("Ticket::Attachment::MaxBytes", 10_485_760),
                config.number("Ticket::Attachment::TicketQuotaBytes", 104_857_600),
                config.string("Ticket::Attachment::BlockedExtensions").orElse(BLOCKED_DEFAULT),
                config.flag("CustomerPortal::CompanyTickets", false),
                config.string("CustomerPortal::DefaultQueue").orElse("Postmaster"));
    }
}
